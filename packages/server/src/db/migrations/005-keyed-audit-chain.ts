import type { Kysely, Migration } from "kysely";
import { AuditStore } from "../../store/audit-store.js";
import { rechainLegacyAudit } from "../../store/rechain-legacy-audit.js";
import type { Database } from "../schema.js";

/** What migration 005 needs: the chain key, and whether the engine locks rows (PostgreSQL). */
export type KeyedAuditChainOptions = {
  /** `deriveKey(masterKey, "audit")`; absent where no master key is at hand. */
  auditKey: Buffer | undefined;
  rowLocks: boolean;
};

/**
 * The audit chain becomes keyed (issue 17, item 5): every tenant's old unkeyed SHA-256 chain
 * that still verifies is re-chained under the HMAC key, once, and gets an `audit.rekeyed` event
 * (src/store/rechain-legacy-audit.ts). The schema does not change. Re-chaining happens here, and only
 * here, so that nothing a database writer can set later (a flag, a missing row) makes the vault
 * re-chain a chain they re-hashed. On PostgreSQL it commits together with the migration's record;
 * on SQLite in its own transaction (running it again changes nothing).
 */
export function keyedAuditChainMigration(options: KeyedAuditChainOptions): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const vault = db as unknown as Kysely<Database>;
      const run = async (executor: Kysely<Database>) => {
        const { auditKey } = options;
        if (auditKey === undefined) {
          const any = await executor
            .selectFrom("audit_heads")
            .select("tenant_id")
            .executeTakeFirst();
          if (any === undefined) return;
          throw new Error(
            "the audit chain must be re-keyed under the master key: start the server (ass server) once before this command",
          );
        }
        const audit = new AuditStore(executor, {
          lockChainHead: options.rowLocks,
          chainKey: auditKey,
          preparedFor: {},
        });
        await rechainLegacyAudit(audit, auditKey, () => new Date());
      };
      if (vault.isTransaction) await run(vault);
      else await vault.transaction().execute(run);
    },
  };
}
