import { SearchBox } from '../ui/SearchBox.tsx';
import { useEffect, useRef, useState } from 'react';
import { searchKinds, type NodeKind } from './node-catalog.ts';

/** Which end of a connection the user dragged out: a node's output (`source`) or one of its inputs (`target`). */
export type DraggedEnd = 'source' | 'target';

/** The node types that can sit at the other end: an output feeds nodes that take input, an input is fed by non-outputs. */
export function quickAddKinds(end: DraggedEnd, query: string): NodeKind[] {
  return searchKinds(query).filter((k) => (end === 'source' ? k.inputs.kind !== 'none' : !k.terminal));
}

/**
 * The menu that opens where a connection dragged onto empty canvas was let go: picking a node adds it there,
 * already connected. Typing filters; Enter takes the first match; Escape or a click elsewhere closes it.
 */
export function QuickAdd({
  at,
  end,
  onPick,
  onClose,
}: {
  at: { x: number; y: number };
  end: DraggedEnd;
  onPick: (type: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const menu = useRef<HTMLDivElement>(null);
  const kinds = quickAddKinds(end, query);
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', onPointerDown);
    return () => window.removeEventListener('pointerdown', onPointerDown);
  }, [onClose]);
  return (
    <div
      ref={menu}
      role="dialog"
      aria-label={end === 'source' ? 'Add a node after this one' : 'Add a node before this one'}
      data-testid="quick-add"
      className="absolute z-20 w-56 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <SearchBox
        autoFocus
        label="Search nodes to add"
        placeholder={end === 'source' ? 'Add after… (type to search)' : 'Add before… (type to search)'}
        value={query}
        onSearch={setQuery}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && kinds[0]) onPick(kinds[0].type);
        }}
        className="mb-1 w-full"
      />
      <ul className="max-h-72 overflow-auto">
        {kinds.map((k) => (
          <li key={k.type}>
            <button
              type="button"
              data-testid={`quick-add-${k.type}`}
              onClick={() => onPick(k.type)}
              className="flex w-full items-center gap-2 rounded px-2 py-1 text-left text-sm hover:bg-indigo-50 focus:bg-indigo-50"
            >
              <span aria-hidden className="w-5 text-center">
                {k.icon}
              </span>
              <span className="flex-1">{k.label}</span>
              <span className="text-[10px] text-slate-500">{k.group}</span>
            </button>
          </li>
        ))}
        {kinds.length === 0 ? (
          <li className="p-2 text-xs text-slate-500">No node matches “{query}”.</li>
        ) : null}
      </ul>
    </div>
  );
}
