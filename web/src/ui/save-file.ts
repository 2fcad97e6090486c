/** Hands a file to the browser's download: the one way the app saves CSVs (exports, widgets, the audit log). */
export function saveFile(name: string, content: Blob | string): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: 'text/csv' }) : content;
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** A file name a spreadsheet user recognises: the workflow and node, without characters file systems refuse. */
export function csvFileName(name: string): string {
  const safe = name
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return `${safe || 'flowforge-export'}.csv`;
}
