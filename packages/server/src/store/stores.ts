import { setTimeout as sleep } from "node:timers/promises";
import type { Kysely } from "kysely";
import type { DatabaseEngine, VaultDatabase } from "../db/database-engine.js";
import { directStatementsOf } from "../db/direct-statements.js";
import type { PreparedOwner } from "../db/prepared-query.js";
import type { Database } from "../db/schema.js";
import { ApprovalsStore } from "./approvals-store.js";
import { AuditStore } from "./audit-store.js";
import { ConsoleSessionStore } from "./console-session-store.js";
import { IdempotencyStore } from "./idempotency-store.js";
import { KeyringStore } from "./keyring-store.js";
import { PrincipalsStore } from "./principals-store.js";
import { SecretsStore } from "./secrets-store.js";
import { TokensStore } from "./tokens-store.js";
import { WebhookStore } from "./webhook-store.js";

/** Every store bound to one executor: the database itself, or an open transaction. */
export type Stores = {
  readonly secrets: SecretsStore;
  readonly tokens: TokensStore;
  readonly principals: PrincipalsStore;
  readonly audit: AuditStore;
  readonly approvals: ApprovalsStore;
  readonly idempotency: IdempotencyStore;
  readonly consoleSessions: ConsoleSessionStore;
  readonly webhooks: WebhookStore;
  readonly keyring: KeyringStore;
};

/** Options of {@link DataAccess.transaction}. */
export type TransactionOptions = {
  /**
   * Take this named lock first (every instance waits for it): for rare work that must not run
   * twice at once, such as creating the first keys of an empty vault.
   */
  exclusive?: string;
};

/** The stores plus a way to run several of their calls atomically. What routes get. */
export type DataAccess = Stores & {
  /**
   * Runs `work` in one transaction: all of its writes commit together or not at all. When the
   * transaction loses a race with another instance's (a unique key taken, a deadlock), it runs
   * again from the start, up to a few times, so `work` must do nothing but database work (and
   * pure computation) before it returns.
   */
  transaction<T>(work: (stores: Stores) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Closes the database (after the last request). */
  close(): Promise<void>;
};

/** Attempts of a transaction that keeps losing races before its error is passed on. */
const MAX_TRANSACTION_ATTEMPTS = 6;

/** What the stores are built with besides the database. */
export type DataAccessOptions = {
  /** The audit chain's HMAC key: `deriveKey(masterKey, "audit")`. */
  auditKey: Buffer;
  /** The key of the secrets' metadata MACs: `deriveKey(masterKey, "secret-metadata")`. */
  metadataKey: Buffer;
};

function bindStores(
  executor: Kysely<Database>,
  engine: DatabaseEngine,
  options: DataAccessOptions,
  preparedFor: PreparedOwner,
): Stores {
  return {
    secrets: new SecretsStore(executor, {
      rowLocks: engine.rowLocks,
      metadataKey: options.metadataKey,
      preparedFor,
    }),
    tokens: new TokensStore(executor, { preparedFor }),
    principals: new PrincipalsStore(executor, { preparedFor }),
    audit: new AuditStore(executor, {
      lockChainHead: engine.rowLocks,
      chainKey: options.auditKey,
      preparedFor,
    }),
    approvals: new ApprovalsStore(executor),
    idempotency: new IdempotencyStore(executor),
    consoleSessions: new ConsoleSessionStore(executor),
    webhooks: new WebhookStore(executor),
    keyring: new KeyringStore(executor, { rowLocks: engine.rowLocks, preparedFor }),
  };
}

/** A few milliseconds, growing and jittered, so that two losers do not collide again. */
function backoffMs(attempt: number): number {
  return Math.random() * 5 * 2 ** attempt;
}

export function createDataAccess(
  database: VaultDatabase,
  accessOptions: DataAccessOptions,
): DataAccess {
  const { db, engine } = database;
  // The database's prepared queries are kept under this: its transactions speak its dialect.
  const preparedFor: PreparedOwner = { direct: directStatementsOf(db) };
  return {
    ...bindStores(db, engine, accessOptions, preparedFor),
    async transaction(work, options = {}) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await db.transaction().execute(async (trx) => {
            if (options.exclusive !== undefined) await engine.lockExclusive(trx, options.exclusive);
            return work(bindStores(trx, engine, accessOptions, preparedFor));
          });
        } catch (error) {
          if (attempt >= MAX_TRANSACTION_ATTEMPTS || !engine.isTransientConflict(error))
            throw error;
          await sleep(backoffMs(attempt));
        }
      }
    },
    close: () => db.destroy(),
  };
}
