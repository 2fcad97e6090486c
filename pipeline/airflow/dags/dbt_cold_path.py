"""Cold path (plan §7): dbt seed → run → test over the ClickHouse history, on a schedule.

The image that runs this DAG has dbt-core + dbt-clickhouse and the project at FLOWFORGE_DBT_DIR (pipeline/dbt); the
ClickHouse connection comes from the CLICKHOUSE_* variables that pipeline/dbt/profiles.yml reads. Daily at 06:00 UTC
by default; FLOWFORGE_DBT_SCHEDULE="*/5 * * * *" makes a development cluster refresh the marts every five minutes.
"""

import os
from datetime import datetime, timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

DBT_DIR = os.environ.get("FLOWFORGE_DBT_DIR", "/opt/airflow/dbt")
SCHEDULE = os.environ.get("FLOWFORGE_DBT_SCHEDULE", "0 6 * * *")


def dbt(command: str) -> str:
    return f"dbt {command} --project-dir {DBT_DIR} --profiles-dir {DBT_DIR}"


with DAG(
    dag_id="dbt_cold_path",
    description="Seeds, builds and tests the dbt marts over the ClickHouse history",
    schedule=SCHEDULE,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "flowforge",
        "depends_on_past": False,
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
    },
    tags=["dbt", "cold-path"],
) as dag:
    dbt_seed = BashOperator(task_id="dbt_seed", bash_command=dbt("seed"))
    dbt_run = BashOperator(task_id="dbt_run", bash_command=dbt("run"))
    dbt_test = BashOperator(task_id="dbt_test", bash_command=dbt("test"))

    dbt_seed >> dbt_run >> dbt_test
