import type { AuditEntryOut } from '@flowforge/edge/api-types';

const COLUMNS = ['created_at', 'actor', 'action', 'target_type', 'target_id', 'details'] as const;

/** RFC 4180 field: quoted when it holds a quote, comma or line break; cells starting like a formula are defused. */
function field(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(entries: readonly AuditEntryOut[]): string {
  const lines = [COLUMNS.join(','), ...entries.map((e) => COLUMNS.map((c) => field(e[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
