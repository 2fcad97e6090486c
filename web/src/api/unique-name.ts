/**
 * `base` when no item has that name yet, else `base (2)`, `base (3)`, … — the first one free. Copies and template
 * instances named the same as what is already there cannot be told apart in a list or a picker.
 */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  let n = 2;
  while (names.has(`${base} (${n})`)) n++;
  return `${base} (${n})`;
}
