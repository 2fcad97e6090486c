import { useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';

const STORAGE_KEY = 'ff:canvas-preview';
/** Share of the column the preview takes: between a header's worth and most of it. */
const MIN_SHARE = 0.12;
const MAX_SHARE = 0.8;
const DEFAULT_SHARE = 0.36;
const KEY_STEP = 0.04;

interface SplitState {
  share: number;
  collapsed: boolean;
}

const clamp = (share: number) => Math.min(MAX_SHARE, Math.max(MIN_SHARE, share));

function remembered(): SplitState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<SplitState> | null;
    return {
      share: typeof saved?.share === 'number' ? clamp(saved.share) : DEFAULT_SHARE,
      collapsed: saved?.collapsed === true,
    };
  } catch {
    return { share: DEFAULT_SHARE, collapsed: false };
  }
}

/**
 * The canvas above, the preview below, with a divider the user drags (or moves with the arrow keys) and a button that
 * collapses the preview; size and collapse survive reloads.
 */
export function PreviewSplit({ canvas, preview }: { canvas: ReactNode; preview: ReactNode }) {
  const [split, setSplit] = useState(remembered);
  const column = useRef<HTMLDivElement>(null);
  const save = (next: SplitState) => {
    setSplit(next);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
    const box = column.current!.getBoundingClientRect();
    setSplit({ share: clamp((box.bottom - event.clientY) / box.height), collapsed: false });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
    event.currentTarget.releasePointerCapture(event.pointerId);
    save(split);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowUp' ? KEY_STEP : event.key === 'ArrowDown' ? -KEY_STEP : 0;
    if (step === 0) return;
    event.preventDefault();
    save({ share: clamp(split.share + step), collapsed: false });
  };
  const percent = Math.round(split.share * 100);
  return (
    <div ref={column} className="flex min-w-0 flex-1 flex-col">
      <div className="relative min-h-0 flex-1">{canvas}</div>
      <div className="relative shrink-0">
        <div
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the preview"
          aria-valuemin={Math.round(MIN_SHARE * 100)}
          aria-valuemax={Math.round(MAX_SHARE * 100)}
          aria-valuenow={split.collapsed ? 0 : percent}
          tabIndex={0}
          data-testid="preview-divider"
          className="group flex h-3 cursor-row-resize items-center justify-center border-t border-slate-200 bg-slate-50 hover:bg-indigo-50 focus:bg-indigo-50 focus:outline-none"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onKeyDown={onKeyDown}
        >
          <span aria-hidden className="h-1 w-10 rounded bg-slate-300 group-hover:bg-indigo-400" />
        </div>
        <button
          type="button"
          data-testid="preview-toggle"
          aria-expanded={!split.collapsed}
          onClick={() => save({ ...split, collapsed: !split.collapsed })}
          className="absolute right-2 top-0 rounded px-2 text-[11px] leading-3 text-slate-600 hover:bg-slate-200"
        >
          {split.collapsed ? '▲ Show preview' : '▼ Hide preview'}
        </button>
      </div>
      <div
        className="min-h-0 shrink-0 overflow-hidden bg-white"
        style={{ height: split.collapsed ? 0 : `${percent}%` }}
        hidden={split.collapsed}
      >
        {preview}
      </div>
    </div>
  );
}
