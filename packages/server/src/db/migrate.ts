import { type Migration, type MigrationProvider, Migrator } from "kysely";
import type { ColumnTypes } from "./column-types.js";
import type { VaultDatabase } from "./database-engine.js";
import { initialMigration } from "./migrations/001-initial.js";
import { approvalDecisionsMigration } from "./migrations/002-approval-decisions.js";
import { onePendingReadMigration } from "./migrations/003-one-pending-read.js";
import { consoleSessionsMigration } from "./migrations/004-console-sessions.js";
import { keyedAuditChainMigration } from "./migrations/005-keyed-audit-chain.js";
import { metricsTokenMigration } from "./migrations/006-metrics-token.js";
import { secretMetadataMacMigration } from "./migrations/007-secret-metadata-mac.js";
import { secretBrokerBindingsMigration } from "./migrations/008-secret-broker-bindings.js";
import { webhookOutboxMigration } from "./migrations/009-webhook-outbox.js";
import { brokerCallApprovalsMigration } from "./migrations/010-broker-call-approvals.js";
import { keyringMigration } from "./migrations/011-keyring.js";

/** Options of {@link migrateToLatest}. */
export type MigrateOptions = {
  /**
   * The audit chain key, `deriveKey(masterKey, "audit")`: migration 005 re-chains an old vault's
   * audit log under it. Without it, that migration refuses to run on a vault with audit events.
   */
  auditKey?: Buffer;
  /**
   * The secrets' metadata MAC key, `deriveKey(masterKey, "secret-metadata")`: migration 007 MACs
   * an old vault's secret rows under it. Without it, that migration refuses to run on a vault
   * with secrets.
   */
  metadataKey?: Buffer;
};

/** Migrations live in code (no file-system scan), so a bundled build carries them along. */
function migrationsFor(
  types: ColumnTypes,
  keyed: { auditKey: Buffer | undefined; metadataKey: Buffer | undefined; rowLocks: boolean },
): Record<string, Migration> {
  return {
    "001-initial": initialMigration(types),
    "002-approval-decisions": approvalDecisionsMigration(types),
    "003-one-pending-read": onePendingReadMigration(),
    "004-console-sessions": consoleSessionsMigration(types),
    "005-keyed-audit-chain": keyedAuditChainMigration(keyed),
    "006-metrics-token": metricsTokenMigration(types),
    "007-secret-metadata-mac": secretMetadataMacMigration({
      types,
      metadataKey: keyed.metadataKey,
    }),
    "008-secret-broker-bindings": secretBrokerBindingsMigration(types),
    "009-webhook-outbox": webhookOutboxMigration(types),
    "010-broker-call-approvals": brokerCallApprovalsMigration(types),
    "011-keyring": keyringMigration(types),
  };
}

/** Attempts of a SQLite migration that collides with another process's, and the pause between. */
const SQLITE_MIGRATION_ATTEMPTS = 8;
const SQLITE_MIGRATION_RETRY_MS = 250;

/**
 * Brings the schema up to date; called at every start. Throws when a migration fails. Instances
 * starting together on PostgreSQL are safe: Kysely's migration lock (an advisory lock) lets one
 * migrate while the others wait, then find nothing left to do. On SQLite Kysely takes no lock, so
 * processes starting together on one new file can collide ("table … already exists"): a failed
 * run is tried again a few times, and finds the other process's work recorded.
 */
export async function migrateToLatest(
  database: VaultDatabase,
  options: MigrateOptions = {},
): Promise<void> {
  const attempts = database.engine.kind === "sqlite" ? SQLITE_MIGRATION_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(database, options);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, SQLITE_MIGRATION_RETRY_MS));
    }
  }
}

async function migrateOnce(database: VaultDatabase, options: MigrateOptions): Promise<void> {
  const { db, engine } = database;
  const provider: MigrationProvider = {
    getMigrations: async () =>
      migrationsFor(engine.columnTypes, {
        auditKey: options.auditKey,
        metadataKey: options.metadataKey,
        rowLocks: engine.rowLocks,
      }),
  };
  const migrator = new Migrator({
    db,
    provider,
    // Kysely's own tables go into the vault's schema; without this it would look for them in
    // every schema of the database and could find another vault's.
    ...(engine.schema === undefined ? {} : { migrationTableSchema: engine.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(
      `Database migration ${failed?.migrationName ?? "(unknown)"} failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}
