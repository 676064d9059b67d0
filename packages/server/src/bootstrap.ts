import { systemAuditEvent } from "./audit/system-event.js";
import {
  generateCredential,
  generateId,
  hashCredential,
  hashesEqual,
} from "./crypto/credentials.js";
import type { MasterKeyring } from "./crypto/keyring.js";
import { deriveKey } from "./crypto/keys.js";
import type { DataAccess, Stores } from "./store/stores.js";

/** Credentials created by the first start of an empty vault; shown once, never stored. */
export type BootstrapCredentials = {
  tenantId: string;
  /** The operator's admin key (`ass_admin_…`). */
  adminKey: string;
  /** The default agent's key (`ass_live_…`, allowed scopes `secrets:*:*`). */
  agentKey: string;
  /** The token `/metrics` asks for (`ass_metrics_…`) unless `metrics.token` or `metrics.public` is set. */
  metricsToken: string;
};

/** Thrown when the data folder was created under another master key. */
export class MasterKeyMismatchError extends Error {
  override readonly name = "MasterKeyMismatchError";
  constructor(
    message = "The master key does not match the one this data folder was created with: set the original ASS_MASTER_KEY or restore the original master.key file",
  ) {
    super(message);
  }
}

/** The tenant's key check: a keyed hash of its id under the vault key (crypto/keyring.ts). */
export function bootstrapKeyCheck(vaultKey: Buffer, tenantId: string): string {
  return hashCredential(deriveKey(vaultKey, "key-check"), tenantId);
}

/**
 * On an empty database: creates the default tenant, the operator admin and a default agent, with
 * their audit events, in one transaction, and returns the new keys. Otherwise checks that the
 * master key is the one the data was created with and returns null. Instances starting together
 * on one empty database queue on an exclusive lock: the first creates the keys, the others find
 * them and create nothing. `beforeCreate` runs inside that transaction just before the keys are
 * made (only when they are): whatever it throws rolls the first start back.
 */
export async function bootstrapVault(options: {
  data: DataAccess;
  keyring: MasterKeyring;
  credentialHmacKey: Buffer;
  now: () => Date;
  beforeCreate?: () => Promise<void>;
}): Promise<BootstrapCredentials | null> {
  const { data } = options;
  const vaultKey = options.keyring.vaultKey;
  const found = await data.principals.findOperatorTenant();
  const outcome =
    found === undefined
      ? await data.transaction(
          async (stores) => {
            const existing = await stores.principals.findOperatorTenant();
            if (existing !== undefined) return { existing };
            await options.beforeCreate?.();
            return { created: await createFirstKeys(stores, options) };
          },
          { exclusive: "bootstrap" },
        )
      : { existing: found };
  if ("created" in outcome) return outcome.created;
  const { existing } = outcome;
  if (!hashesEqual(existing.keyCheck, bootstrapKeyCheck(vaultKey, existing.id))) {
    throw new MasterKeyMismatchError();
  }
  return null;
}

async function createFirstKeys(
  stores: Stores,
  options: { keyring: MasterKeyring; credentialHmacKey: Buffer; now: () => Date },
): Promise<BootstrapCredentials> {
  const { keyring, credentialHmacKey } = options;
  const at = options.now().toISOString();
  // The keyring is stored with the first keys: a first start that fails leaves neither.
  if ((await stores.keyring.list()).length === 0) {
    await stores.keyring.insert(keyring.rowFor(keyring.currentKey, "current"), at);
  }
  const tenantId = generateId("ten_");
  const adminId = generateId("adm_");
  const agentId = generateId("agt_");
  const adminKey = generateCredential("admin");
  const agentKey = generateCredential("agent");
  const metricsToken = generateCredential("metrics");
  await stores.principals.insertTenant({
    id: tenantId,
    name: "default",
    keyCheck: bootstrapKeyCheck(keyring.vaultKey, tenantId),
    createdAt: at,
    metricsTokenHash: hashCredential(credentialHmacKey, metricsToken),
  });
  await stores.principals.insertAdmin({
    id: adminId,
    tenantId,
    name: "operator",
    isOperator: true,
    createdAt: at,
    keyHash: hashCredential(credentialHmacKey, adminKey),
  });
  await stores.principals.insertAgent({
    id: agentId,
    tenantId,
    name: "default-agent",
    description: "Created at first start",
    allowedScopes: ["secrets:*:*"],
    createdAt: at,
    keyHash: hashCredential(credentialHmacKey, agentKey),
  });
  for (const [event, actorId] of [
    ["admin.created", adminId],
    ["agent.created", agentId],
  ] as const) {
    await stores.audit.append(
      systemAuditEvent({ tenantId, at, event, detail: { subject_id: actorId } }),
    );
  }
  return { tenantId, adminKey, agentKey, metricsToken };
}
