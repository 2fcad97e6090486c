import { SearchBox } from '../ui/SearchBox.tsx';
import { useState, type DragEvent } from 'react';
import { PALETTE_GROUPS, searchKinds } from './node-catalog.ts';

export const DRAG_MIME = 'application/x-flowforge-node';

export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const kinds = searchKinds(query);
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_MIME, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside
      className="flex h-full w-44 shrink-0 flex-col border-r border-slate-200 bg-white xl:w-52"
      aria-label="Node palette"
    >
      <SearchBox
        label="Search nodes"
        placeholder="Search nodes…"
        value={query}
        onSearch={setQuery}
        className="m-2"
      />
      <div className="flex-1 overflow-auto px-2 pb-2">
        {PALETTE_GROUPS.map((group) => {
          const items = kinds.filter((k) => k.group === group);
          if (items.length === 0) return null;
          return (
            <section key={group} className="mb-2">
              <h3 className="px-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                {group}
              </h3>
              {items.map((k) => (
                <button
                  key={k.type}
                  type="button"
                  draggable
                  data-testid={`palette-${k.type}`}
                  onDragStart={(e) => onDragStart(e, k.type)}
                  onClick={() => onAdd(k.type)}
                  title={`${k.description} — click to add it after the selected node, or drag it onto the canvas`}
                  className="flex w-full cursor-grab items-center gap-2 rounded px-1 py-1 text-left text-sm hover:bg-slate-100"
                >
                  <span aria-hidden className="w-5 text-center">
                    {k.icon}
                  </span>
                  {k.label}
                </button>
              ))}
            </section>
          );
        })}
        {kinds.length === 0 ? <p className="p-1 text-xs text-slate-500">No node matches “{query}”.</p> : null}
      </div>
    </aside>
  );
}
