// Plain-text tables and score bars for the terminal (no colours: output stays readable in logs).

export type Align = 'left' | 'right';

/** Columns padded to their widest cell; `align` per column (default left). */
export function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A bar of `width` characters for a score in [0, 1] (eighths of a block for the last cell). */
export function bar(score: number, width = 20): string {
  const eighths = Math.round(Math.max(0, Math.min(1, score)) * width * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '';
  return '█'.repeat(Math.floor(eighths / 8)) + partial;
}

/** A probability as a fixed 4-decimal string. */
export function score(value: number): string {
  return value.toFixed(4);
}

/** 1234567 → "1,234,567". */
export function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

/** Bytes as "812 B", "97.3 KiB", "44.6 MiB". */
export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 ** 2).toFixed(1)} MiB`;
}
