import { type ColumnDataType, type Expression, sql } from "kysely";

/** A column type as the schema builder takes it. */
export type ColumnType = ColumnDataType | Expression<unknown>;

/**
 * The one place where the schema differs between engines. Migrations name a column's kind; this
 * says what each engine stores it as.
 */
export type ColumnTypes = {
  /**
   * Text that is compared and ordered (paths, ids, JSON, base64). On PostgreSQL `COLLATE "C"`,
   * so that ordering and the `ns/` ≤ path < `ns0` range are byte-wise, as on SQLite, whatever
   * the database's default collation is.
   */
  readonly text: ColumnType;
  /**
   * An instant. SQLite: the ISO-8601 text written by JS (`toISOString()`), which compares
   * correctly as text. PostgreSQL: `timestamptz`, read back as the same ISO-8601 text (the
   * pool's type parser), so stores see one format on both engines.
   */
  readonly timestamp: ColumnType;
  /** A whole number (versions, counters, 0/1 flags). */
  readonly integer: ColumnType;
};

const SQLITE_TYPES: ColumnTypes = { text: "text", timestamp: "text", integer: "integer" };

const POSTGRES_TYPES: ColumnTypes = {
  text: sql`text collate "C"`,
  timestamp: "timestamptz",
  integer: "integer",
};

/** The column types of an engine. */
export function columnTypesFor(kind: "sqlite" | "postgres"): ColumnTypes {
  return kind === "postgres" ? POSTGRES_TYPES : SQLITE_TYPES;
}
