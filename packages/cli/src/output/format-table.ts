/** One column of a table: which field it shows and its heading. */
export type Column<Row> = {
  header: string;
  value: (row: Row) => unknown;
};

/**
 * Renders rows as plain aligned columns (no borders, so the output still greps and cuts well).
 * Dates print as ISO-8601, `null`/`undefined` as `-`, arrays joined by commas, objects as `k=v`.
 */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => formatCell(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[columns.map((column) => column.header.toUpperCase()), ...cells].map(render).join("\n")}\n`;
}

/** Formats one value the way tables and detail views show it. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "-";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.map(formatCell).join(",");
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0
      ? "-"
      : entries.map(([key, item]) => `${key}=${formatCell(item)}`).join(",");
  }
  return String(value);
}

/** Renders one record as `label: value` lines. */
export function formatDetails(fields: readonly [label: string, value: unknown][]): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return `${fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${formatCell(value)}`).join("\n")}\n`;
}
