/**
 * Plain-text output for the CLI: aligned tables and `key: value` blocks, readable in a terminal
 * and in a ticket. Machine readers use `--json` instead.
 */

/** `2026-11-28 21:03:11 UTC`; a dash for unknown. */
export function formatTime(ms: number | undefined): string {
  return ms === undefined ? '-' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return '-';
  }
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
  return text.replace(/\s+/g, ' ');
}

/** Columns padded to the widest cell; a cell over `maxWidth` is cut with an ellipsis. */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  maxWidth = 60,
): string {
  const text = rows.map((row) =>
    headers.map((_, i) => {
      const value = cell(row[i]);
      return value.length > maxWidth ? `${value.slice(0, maxWidth - 1)}…` : value;
    }),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...text.map(line)].join('\n');
}

/** Aligned `label: value` lines, skipping unknown values. */
export function fields(entries: ReadonlyArray<readonly [string, unknown]>): string {
  const shown = entries.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v)}`).join('\n');
}
