import type { DashboardOut } from '@flowforge/edge/api-types';
import { DASHBOARD_TEMPLATES, templateById, type DashboardTemplate } from '@flowforge/edge/templates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, widgetTypeOf } from './client.ts';
import { uniqueName } from './unique-name.ts';

/**
 * Saves each of the dashboard's workflow templates as a workflow of its own (named after the template, numbered when
 * that name is taken — by an earlier use of the template, say — so the user can tell them apart, open and edit them),
 * creates the dashboard and pins every template's output where the template's layout says.
 */
export async function createDashboardFromTemplate(template: DashboardTemplate): Promise<DashboardOut> {
  const [{ workflows }, { dashboards }] = await Promise.all([api.listWorkflows(), api.listDashboards()]);
  const workflowNames = workflows.map((w) => w.name);
  const planned = template.widgets.map((place) => {
    const workflow = templateById(place.template);
    if (!workflow) throw new Error(`Unknown workflow template "${place.template}"`);
    const name = uniqueName(workflow.name, workflowNames);
    workflowNames.push(name);
    return { place, workflow, name };
  });
  const saved = await Promise.all(
    planned.map(async ({ place, workflow, name }) => {
      const { id } = await api.createWorkflow({ name, graph: workflow.graph });
      return { place, workflow, id };
    }),
  );
  const dashboard = await api.createDashboard({
    name: uniqueName(
      template.name,
      dashboards.map((d) => d.name),
    ),
  });
  const layout = await Promise.all(
    saved.map(async ({ place, workflow, id }) => {
      const output = workflow.graph.nodes.find((n) => n.id === workflow.output)!;
      const widget = await api.createWidget({
        dashboard_id: dashboard.id,
        workflow_id: id,
        output_node_id: output.id,
        widget_type: widgetTypeOf(output.type),
        config: { title: workflow.name },
      });
      return { widget_id: widget.id, x: place.x, y: place.y, w: place.w, h: place.h };
    }),
  );
  return api.updateDashboard(dashboard.id, { layout });
}

/** The one-click starter board (the first dashboard template): creates it, then opens it. */
export function useDashboardFromTemplate(template: DashboardTemplate = DASHBOARD_TEMPLATES[0]!) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => createDashboardFromTemplate(template),
    onSuccess: (dashboard) => {
      void queryClient.invalidateQueries({ queryKey: ['dashboards'] });
      void queryClient.invalidateQueries({ queryKey: ['workflows'] });
      navigate(`/dashboards/${dashboard.id}`);
    },
  });
}
