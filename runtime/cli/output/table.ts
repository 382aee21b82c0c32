/** A column: its heading, and how to colour a cell once padded (colour codes would upset the widths). */
export interface Column {
  readonly heading: string;
  readonly align?: 'left' | 'right';
  readonly paint?: (padded: string, raw: string) => string;
}

/** Rows under headings, each column as wide as its widest cell, two spaces apart. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, index) => Math.max(column.heading.length, ...rows.map((row) => row[index].length)));
  const pad = (text: string, index: number) => (columns[index].align === 'right' ? text.padStart(widths[index]) : text.padEnd(widths[index]));
  const lines = [
    columns.map((column, index) => pad(column.heading.toUpperCase(), index)),
    ...rows.map((row) => row.map((cell, index) => columns[index].paint?.(pad(cell, index), cell) ?? pad(cell, index))),
  ];
  return lines.map((cells) => cells.join('  ').trimEnd()).join('\n');
}
