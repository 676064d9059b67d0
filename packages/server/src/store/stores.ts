import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { ApprovalsStore } from "./approvals-store.js";
import { AuditStore } from "./audit-store.js";
import { IdempotencyStore } from "./idempotency-store.js";
import { PrincipalsStore } from "./principals-store.js";
import { SecretsStore } from "./secrets-store.js";
import { TokensStore } from "./tokens-store.js";

/** Every store bound to one executor: the database itself, or an open transaction. */
export type Stores = {
  readonly secrets: SecretsStore;
  readonly tokens: TokensStore;
  readonly principals: PrincipalsStore;
  readonly audit: AuditStore;
  readonly approvals: ApprovalsStore;
  readonly idempotency: IdempotencyStore;
};

/** The stores plus a way to run several of their calls atomically. What routes get. */
export type DataAccess = Stores & {
  /** Runs `work` in one transaction: all of its writes commit together or not at all. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  /** Closes the database (after the last request). */
  close(): Promise<void>;
};

export type DataAccessOptions = {
  /** Row locks (`FOR UPDATE`) exist: true on PostgreSQL, false on SQLite. */
  rowLocks: boolean;
};

function bindStores(executor: Kysely<Database>, options: DataAccessOptions): Stores {
  return {
    secrets: new SecretsStore(executor),
    tokens: new TokensStore(executor),
    principals: new PrincipalsStore(executor),
    audit: new AuditStore(executor, { lockChainHead: options.rowLocks }),
    approvals: new ApprovalsStore(executor),
    idempotency: new IdempotencyStore(executor),
  };
}

export function createDataAccess(db: Kysely<Database>, options: DataAccessOptions): DataAccess {
  return {
    ...bindStores(db, options),
    transaction: (work) => db.transaction().execute((trx) => work(bindStores(trx, options))),
    close: () => db.destroy(),
  };
}
