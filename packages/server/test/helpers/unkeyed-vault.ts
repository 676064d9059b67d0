// A vault as the code before the keyed audit chain left it: the schema of migrations 001–004, an
// operator admin, and an audit chain hashed with plain SHA-256. For the re-chaining at start.
import { Migrator } from "kysely";
import { GENESIS_HASH, hashAuditEvent } from "../../src/audit/hash-chain.js";
import { bootstrapKeyCheck } from "../../src/bootstrap.js";
import { generateCredential, generateId, hashCredential } from "../../src/crypto/credentials.js";
import { deriveKey } from "../../src/crypto/keys.js";
import { createDatabase, type DatabaseConfig } from "../../src/db/create-database.js";
import { initialMigration } from "../../src/db/migrations/001-initial.js";
import { approvalDecisionsMigration } from "../../src/db/migrations/002-approval-decisions.js";
import { onePendingReadMigration } from "../../src/db/migrations/003-one-pending-read.js";
import { consoleSessionsMigration } from "../../src/db/migrations/004-console-sessions.js";

/** Creates the old vault in `config` (an empty database); returns the operator's admin key. */
export async function createUnkeyedVault(
  config: DatabaseConfig,
  masterKey: Buffer,
  events: readonly { event: string; path: string | null }[],
): Promise<{ adminKey: string; tenantId: string }> {
  const { db, engine } = createDatabase(config);
  try {
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () => ({
          "001-initial": initialMigration(engine.columnTypes),
          "002-approval-decisions": approvalDecisionsMigration(engine.columnTypes),
          "003-one-pending-read": onePendingReadMigration(),
          "004-console-sessions": consoleSessionsMigration(engine.columnTypes),
        }),
      },
      ...(engine.schema === undefined ? {} : { migrationTableSchema: engine.schema }),
    });
    const migrated = await migrator.migrateToLatest();
    if (migrated.error !== undefined) throw migrated.error;
    const tenantId = generateId("ten_");
    const adminKey = generateCredential("admin");
    const at = "2026-01-15T10:00:00.000Z";
    await db
      .insertInto("tenants")
      .values({
        id: tenantId,
        name: "default",
        key_check: bootstrapKeyCheck(masterKey, tenantId),
        created_at: at,
      } as never)
      .execute();
    await db
      .insertInto("admins")
      .values({
        id: generateId("adm_"),
        tenant_id: tenantId,
        name: "operator",
        key_hash: hashCredential(deriveKey(masterKey, "credential-hmac"), adminKey),
        is_operator: 1,
        created_at: at,
      } as never)
      .execute();
    let prevHash = GENESIS_HASH;
    let seq = 0;
    for (const { event, path } of events) {
      seq += 1;
      const content = {
        id: generateId("evt_"),
        at,
        tenantId,
        event,
        actorType: "system",
        actorId: null,
        tokenId: null,
        path,
        version: null,
        ip: null,
        outcome: "success",
        requestId: null,
      };
      const hash = hashAuditEvent(null, prevHash, content);
      await db
        .insertInto("audit_events")
        .values({
          tenant_id: tenantId,
          seq,
          id: content.id,
          at,
          event,
          actor_type: "system",
          actor_id: null,
          token_id: null,
          path,
          version: null,
          ip: null,
          outcome: "success",
          request_id: null,
          detail: null,
          prev_hash: prevHash,
          hash,
        })
        .execute();
      prevHash = hash;
    }
    await db
      .insertInto("audit_heads")
      .values({ tenant_id: tenantId, seq, hash: prevHash })
      .execute();
    return { adminKey, tenantId };
  } finally {
    await db.destroy();
  }
}
