import { DASHBOARD_TEMPLATES, WORKFLOW_TEMPLATES } from '@flowforge/edge/templates';
import { Link } from 'react-router';
import { usePermissions } from '../api/permissions.ts';
import { useDashboardFromTemplate } from '../api/template-dashboard.ts';

/** The starting points a newcomer can open as an editable copy: `/canvas?template=<id>` loads one unsaved. */
export function TemplateGallery() {
  const { canEdit } = usePermissions();
  const fromTemplate = useDashboardFromTemplate();
  const starter = DASHBOARD_TEMPLATES[0]!;
  return (
    <section aria-labelledby="templates-heading" className="mt-8">
      <div className="mb-1 flex items-center gap-3">
        <h2 id="templates-heading" className="text-base font-semibold">
          Start from a template
        </h2>
        {canEdit ? (
          <button
            className="ml-auto rounded border border-indigo-600 px-3 py-1 text-sm text-indigo-700 hover:bg-indigo-50 disabled:opacity-50"
            disabled={fromTemplate.isPending}
            title={starter.description}
            onClick={() => fromTemplate.mutate()}
          >
            {fromTemplate.isPending ? 'Creating…' : 'New dashboard from template'}
          </button>
        ) : null}
      </div>
      {fromTemplate.isError ? (
        <p role="alert" className="mb-2 text-sm text-red-600">
          Could not create the dashboard: {fromTemplate.error.message}
        </p>
      ) : null}
      <p className="mb-3 text-sm text-slate-500">
        Ready workflows over the sample market data. Opening one gives you an editable copy; nothing is saved
        until you save it.
      </p>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="template-gallery">
        {WORKFLOW_TEMPLATES.map((t) => (
          <li key={t.id}>
            <Link
              to={`/canvas?template=${encodeURIComponent(t.id)}`}
              className="flex h-full flex-col rounded border border-slate-200 bg-white p-3 hover:border-indigo-400 hover:shadow-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              <span className="font-medium text-indigo-700">{t.name}</span>
              <span className="mt-1 flex-1 text-xs text-slate-600">{t.description}</span>
              <span className="mt-2 text-[11px] text-slate-500">{t.graph.nodes.length} steps</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
