import type BetterSqlite3 from "better-sqlite3";
import { type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from "kysely";
import type { WalSync } from "./wal-sync.js";

/** What the connection ran since it was acquired, as its statements were prepared. */
export type StatementLog = { wrote: boolean; read: boolean };

/**
 * Kysely's SQLite dialect on one main-thread connection with `synchronous = NORMAL`, whose
 * commits are made durable by {@link WalSync} once the connection is released: a transaction or
 * a write outside one resolves only once an fsync covering it returned, a read outside one once
 * every commit it could have seen is on disk. Meanwhile the connection serves other requests.
 */
export class DurableSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly statements: StatementLog,
    private readonly wal: WalSync,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(this.config, this.sqlite, this.statements, this.wal);
  }
}

class DurableSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly sqlite: BetterSqlite3.Database,
    private readonly statements: StatementLog,
    private readonly wal: WalSync,
  ) {
    super(config);
  }

  override async releaseConnection(): Promise<void> {
    // Kysely releases after COMMIT or ROLLBACK; should it ever release inside a transaction,
    // what it ran is counted at the release after the transaction ends.
    if (this.sqlite.inTransaction) return super.releaseConnection();
    const { wrote, read } = this.statements;
    this.statements.wrote = false;
    this.statements.read = false;
    await super.releaseConnection();
    if (wrote) {
      await this.wal.committed();
    } else if (read) {
      await this.wal.untilDurable();
    }
  }

  override async destroy(): Promise<void> {
    await this.wal.untilDurable();
    await super.destroy();
    await this.wal.close();
  }
}
