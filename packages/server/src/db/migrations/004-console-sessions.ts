import type { Kysely, Migration } from "kysely";
import type { ColumnTypes } from "../column-types.js";

/**
 * The web console's sign-in sessions (issue #13), in the database so that every instance sharing
 * it knows them: a session begun on one instance works on the others and ends on all of them at
 * sign-out. The session id is stored only as a keyed hash (like credentials); the CSRF token is
 * stored as given, since it is rendered into the console's pages and is useless without the
 * cookie. `expires_at` is the absolute limit; the idle limit is measured from `last_seen_at`.
 */
export function consoleSessionsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("console_sessions")
        .addColumn("id_hash", types.text, (column) => column.primaryKey())
        .addColumn("tenant_id", types.text, (column) => column.notNull())
        .addColumn("admin_id", types.text, (column) => column.notNull())
        .addColumn("csrf_token", types.text, (column) => column.notNull())
        .addColumn("created_at", types.timestamp, (column) => column.notNull())
        .addColumn("last_seen_at", types.timestamp, (column) => column.notNull())
        .addColumn("expires_at", types.timestamp, (column) => column.notNull())
        .addColumn("ended_at", types.timestamp)
        .execute();
      await db.schema
        .createIndex("console_sessions_expiry")
        .on("console_sessions")
        .columns(["expires_at"])
        .execute();
    },
  };
}
