import { ApiError } from '../errors.ts';
import type { GlobalFilters } from '../ports/metadata-store.ts';

const time = (s: string) =>
  new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || s.length <= 10 ? s : `${s}Z`).getTime();
const locked = (what: string) =>
  new ApiError(
    403,
    'filter_locked',
    `The embed token locks ${what}; request parameters may narrow it, not widen it`,
  );

/**
 * The filters an embed request runs with: the token's locked filters, narrowed by the request, never widened. A request
 * asking for anything outside the lock is refused outright rather than silently clamped, so a misbehaving host page
 * notices.
 */
export function applyLockedFilters(lock: GlobalFilters, requested: GlobalFilters): GlobalFilters {
  const out: GlobalFilters = { ...lock };
  if (requested.symbols) {
    if (lock.symbols && requested.symbols.some((s) => !lock.symbols!.includes(s)))
      throw locked(`symbols to ${lock.symbols.join(', ')}`);
    out.symbols = requested.symbols;
  }
  if (requested.date_from) {
    if (lock.date_from && time(requested.date_from) < time(lock.date_from))
      throw locked(`date_from at ${lock.date_from}`);
    out.date_from = requested.date_from;
  }
  if (requested.date_to) {
    if (lock.date_to && time(requested.date_to) > time(lock.date_to))
      throw locked(`date_to at ${lock.date_to}`);
    out.date_to = requested.date_to;
  }
  return out;
}
