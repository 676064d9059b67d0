import { escapeUnsafeText } from "@agentsecretstore/protocol";
import { relativeTime } from "./relative-time.js";
import type { Paint, TerminalStyle } from "./terminal-style.js";

/** One column of a table: which field it shows and its heading. */
export type Column<Row> = {
  header: string;
  value: (row: Row) => unknown;
  /** A colour for the cell on a terminal, e.g. red for "denied". */
  paint?: (row: Row) => Paint | undefined;
};

/** How cells are written: for scripts (ISO times, full width) unless a person reads them. */
type TableStyle = Pick<TerminalStyle, "forPeople" | "width" | "paint">;

const FOR_SCRIPTS: TableStyle = { forPeople: false, width: undefined, paint: (text) => text };
const GAP = 2;
const NARROWEST = 6;

/**
 * Renders rows as plain aligned columns (no borders, so the output still greps and cuts well).
 * For people (a terminal): times are relative ("in 14 min"), the table is cut to the
 * terminal's width by shortening the widest columns (with "…"), and cells may be coloured.
 * For scripts: ISO-8601 times and every character. `null`/`undefined` print as `-`.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  style: TableStyle = FOR_SCRIPTS,
): string {
  const cells = rows.map((row) =>
    columns.map((column) => formatCell(column.value(row), style.forPeople)),
  );
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]?.length ?? 0)),
  );
  if (style.width !== undefined) fitWidths(widths, style.width);
  const render = (line: readonly string[], paints: readonly (Paint | undefined)[]) =>
    line
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        const shown = cell.length > width ? `${cell.slice(0, Math.max(0, width - 1))}…` : cell;
        const padded = index === line.length - 1 ? shown : shown.padEnd(width);
        const paint = paints[index];
        return paint === undefined ? padded : style.paint(padded, paint);
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  const header = render(
    columns.map((column) => column.header.toUpperCase()),
    columns.map(() => (style.forPeople ? "bold" : undefined)),
  );
  const body = cells.map((line, rowIndex) =>
    render(
      line,
      columns.map((column) => {
        const row = rows[rowIndex];
        return row === undefined ? undefined : column.paint?.(row);
      }),
    ),
  );
  return `${[header, ...body].join("\n")}\n`;
}

/** Shrinks the widest columns, one character at a time, until the line fits `total`. */
function fitWidths(widths: number[], total: number): void {
  const lineWidth = () => widths.reduce((sum, width) => sum + width, 0) + GAP * (widths.length - 1);
  while (lineWidth() > total) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= NARROWEST) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
}

/**
 * Formats one value the way tables and detail views show it. Text from the vault is shown with
 * its control and bidirectional formatting characters written out (`\u{1B}`), so that a name or
 * description stored before the server refused them cannot redraw the screen or reverse a path:
 * what an approver reads is what is stored.
 */
function formatCell(value: unknown, forPeople = false): string {
  if (value === null || value === undefined || value === "") return "-";
  if (value instanceof Date) return forPeople ? relativeTime(value) : value.toISOString();
  if (Array.isArray(value)) {
    return value.length === 0 ? "-" : value.map((item) => formatCell(item, forPeople)).join(",");
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0
      ? "-"
      : entries
          .map(([key, item]) => `${escapeUnsafeText(key)}=${formatCell(item, forPeople)}`)
          .join(",");
  }
  return escapeUnsafeText(String(value));
}

/**
 * Renders one record as `label: value` lines. For people, a time shows both ways:
 * `2026-01-15T10:30:00.000Z (in 14 min)`.
 */
export function formatDetails(
  fields: readonly [label: string, value: unknown][],
  style: TableStyle = FOR_SCRIPTS,
): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  const show = (value: unknown) =>
    value instanceof Date && style.forPeople
      ? `${value.toISOString()} (${relativeTime(value)})`
      : formatCell(value, style.forPeople);
  return `${fields
    .map(([label, value]) => `${style.paint(`${label}:`.padEnd(width + 1), "dim")} ${show(value)}`)
    .join("\n")}\n`;
}
