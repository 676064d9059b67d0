import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

/** The `console_sessions` table (migration 004), typed here: only the console reads it. */
type ConsoleSessionRows = {
  console_sessions: {
    id_hash: string;
    tenant_id: string;
    admin_id: string;
    csrf_token: string;
    created_at: string;
    last_seen_at: string;
    expires_at: string;
    ended_at: string | null;
  };
};

/** A console session as stored: its id only as a keyed hash. Times are ISO-8601 strings. */
export type ConsoleSessionRecord = {
  idHash: string;
  tenantId: string;
  adminId: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute limit: the session ends then, however busy. */
  expiresAt: string;
  /** Set by sign-out; an ended session never works again. */
  endedAt: string | null;
};

/** The console's sign-in sessions, shared by every instance on the database. */
export class ConsoleSessionStore {
  private readonly db: Kysely<ConsoleSessionRows>;

  constructor(db: Kysely<Database>) {
    this.db = db as unknown as Kysely<ConsoleSessionRows>;
  }

  async insert(session: ConsoleSessionRecord): Promise<void> {
    await this.db
      .insertInto("console_sessions")
      .values({
        id_hash: session.idHash,
        tenant_id: session.tenantId,
        admin_id: session.adminId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
        ended_at: session.endedAt,
      })
      .execute();
  }

  async find(idHash: string): Promise<ConsoleSessionRecord | undefined> {
    const row = await this.db
      .selectFrom("console_sessions")
      .selectAll()
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    return (
      row && {
        idHash: row.id_hash,
        tenantId: row.tenant_id,
        adminId: row.admin_id,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        endedAt: row.ended_at,
      }
    );
  }

  /** Records activity (for the idle limit) on a session that has not ended. */
  async touch(idHash: string, at: string): Promise<void> {
    await this.db
      .updateTable("console_sessions")
      .set({ last_seen_at: at })
      .where("id_hash", "=", idHash)
      .where("ended_at", "is", null)
      .execute();
  }

  /** Sign-out: the session stops working on every instance at once. */
  async end(idHash: string, at: string): Promise<void> {
    await this.db
      .updateTable("console_sessions")
      .set({ ended_at: at })
      .where("id_hash", "=", idHash)
      .where("ended_at", "is", null)
      .execute();
  }

  /** Ends every open session of an admin (its key was rotated: a session begun with it goes too). */
  async endAllOf(tenantId: string, adminId: string, at: string): Promise<void> {
    await this.db
      .updateTable("console_sessions")
      .set({ ended_at: at })
      .where("tenant_id", "=", tenantId)
      .where("admin_id", "=", adminId)
      .where("ended_at", "is", null)
      .execute();
  }

  /** Forgets sessions past their absolute limit or idle since `idleBefore`. */
  async deleteStale(now: string, idleBefore: string): Promise<void> {
    await this.db
      .deleteFrom("console_sessions")
      .where((eb) =>
        eb.or([
          eb("expires_at", "<=", now),
          eb("last_seen_at", "<=", idleBefore),
          eb("ended_at", "is not", null),
        ]),
      )
      .execute();
  }
}
