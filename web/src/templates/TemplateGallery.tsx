import { WORKFLOW_TEMPLATES } from '@flowforge/edge/templates';
import { Link } from 'react-router';

/** The starting points a newcomer can open as an editable copy: `/canvas?template=<id>` loads one unsaved. */
export function TemplateGallery() {
  return (
    <section aria-labelledby="templates-heading" className="mt-8">
      <h2 id="templates-heading" className="mb-1 text-base font-semibold">
        Start from a template
      </h2>
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
