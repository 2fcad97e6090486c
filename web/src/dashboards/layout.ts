import type { DashboardOut } from '@flowforge/edge/api-types';

export type SavedLayout = DashboardOut['layout'];
/** react-grid-layout's item: `i` is the widget id. */
export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export const GRID_COLS = 12;
export const ROW_HEIGHT = 32;
const DEFAULT_W = 6;
const DEFAULT_H = 9;

/**
 * The grid for the dashboard's widgets: saved positions where the layout has them, and new widgets (just pinned)
 * in two columns below everything else. Items of deleted widgets are dropped.
 */
export function gridLayout(widgetIds: readonly string[], saved: SavedLayout): GridItem[] {
  const ids = new Set(widgetIds);
  const placed: GridItem[] = saved
    .filter((s) => ids.has(s.widget_id))
    .map((s) => ({ i: s.widget_id, x: s.x, y: s.y, w: s.w, h: s.h }));
  const known = new Set(placed.map((p) => p.i));
  let bottom = placed.reduce((max, p) => Math.max(max, p.y + p.h), 0);
  let column = 0;
  for (const id of widgetIds) {
    if (known.has(id)) continue;
    placed.push({ i: id, x: column * DEFAULT_W, y: bottom, w: DEFAULT_W, h: DEFAULT_H });
    column = (column + 1) % (GRID_COLS / DEFAULT_W);
    if (column === 0) bottom += DEFAULT_H;
  }
  return placed;
}

export const toSaved = (items: readonly GridItem[]): SavedLayout =>
  items.map(({ i, x, y, w, h }) => ({ widget_id: i, x, y, w, h }));

/** Same positions and sizes, whatever the order: a layout callback that changes nothing must not save. */
export function sameLayout(a: SavedLayout, b: SavedLayout): boolean {
  const text = (l: SavedLayout) =>
    l
      .map((s) => `${s.widget_id}:${s.x},${s.y},${s.w},${s.h}`)
      .sort()
      .join('|');
  return text(a) === text(b);
}
