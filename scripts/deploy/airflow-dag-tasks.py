"""Loads a DAG folder with Airflow's own parser and prints, as JSON, the import errors and each DAG's schedule and
tasks (downstream ids, bash command). Run with the Airflow venv of scripts/deploy-tools: python airflow-dag-tasks.py DIR"""

import json
import sys

from airflow.dag_processing.dagbag import DagBag

bag = DagBag(dag_folder=sys.argv[1])
print(
    json.dumps(
        {
            "errors": {path: str(error) for path, error in bag.import_errors.items()},
            "dags": {
                dag_id: {
                    "schedule": dag.schedule,
                    "tasks": {
                        task.task_id: {
                            "downstream": sorted(task.downstream_task_ids),
                            "bash_command": getattr(task, "bash_command", None),
                        }
                        for task in dag.tasks
                    },
                }
                for dag_id, dag in bag.dags.items()
            },
        }
    )
)
