import type { DashboardOut } from '@flowforge/edge/api-types';
import { DASHBOARD_TEMPLATES, templateById, type DashboardTemplate } from '@flowforge/edge/templates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, widgetTypeOf } from './client.ts';

/**
 * Saves each of the dashboard's workflow templates as a workflow of its own (named after the template, so the user
 * can open and edit it), creates the dashboard and pins every template's output where the template's layout says.
 */
export async function createDashboardFromTemplate(template: DashboardTemplate): Promise<DashboardOut> {
  const saved = await Promise.all(
    template.widgets.map(async (place) => {
      const workflow = templateById(place.template);
      if (!workflow) throw new Error(`Unknown workflow template "${place.template}"`);
      const { id } = await api.createWorkflow({ name: workflow.name, graph: workflow.graph });
      return { place, workflow, id };
    }),
  );
  const dashboard = await api.createDashboard({ name: template.name });
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
