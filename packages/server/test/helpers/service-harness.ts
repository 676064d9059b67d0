// The vault's services without HTTP: a context on a fresh in-memory SQLite database, built by
// the same createVaultContext the server uses, with the first start's keys resolved to
// principals. For unit tests of src/vault/.
import { randomBytes } from "node:crypto";
import { createInProcessApprovalEvents } from "../../src/approvals/approval-events.js";
import { bootstrapVault } from "../../src/bootstrap.js";
import { MasterKeyring } from "../../src/crypto/keyring.js";
import { deriveKey } from "../../src/crypto/keys.js";
import { createDatabase } from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createVaultMetrics } from "../../src/metrics/vault-metrics.js";
import { createDataAccess } from "../../src/store/stores.js";
import type { Actor } from "../../src/vault/actor.js";
import { resolvePrincipal } from "../../src/vault/authenticate-credential.js";
import { createVaultContext, type VaultContext } from "../../src/vault/vault-context.js";
import { NO_WEBHOOK_OUTBOX } from "../../src/vault/webhook-outbox.js";
import { createTestClock, type TestClock } from "./test-server.js";

export type ServiceHarness = {
  context: VaultContext;
  clock: TestClock;
  /** The operator's admin and the first agent, as actors from 127.0.0.1. */
  admin: Actor;
  agent: Actor;
  adminKey: string;
  agentKey: string;
  /** An actor for any credential (an agent key or token made in the test). */
  actorFor(credential: string): Promise<Actor>;
  /** Every audit event of the operator's tenant, oldest first. */
  auditEvents(): Promise<
    { event: string; outcome: string; path: string | null; detail: string | null }[]
  >;
  close(): Promise<void>;
};

const ORIGIN = { ip: "127.0.0.1", requestId: "req_service_test" } as const;

export async function createServiceHarness(): Promise<ServiceHarness> {
  const clock = createTestClock();
  const database = createDatabase({ kind: "sqlite", filename: ":memory:" });
  const masterKey = randomBytes(32);
  const data = createDataAccess(database, {
    auditKey: deriveKey(masterKey, "audit"),
    metadataKey: deriveKey(masterKey, "secret-metadata"),
  });
  await migrateToLatest(database);
  const closing = new AbortController();
  const context = createVaultContext({
    data,
    keyring: MasterKeyring.adopt(masterKey),
    now: clock.now,
    log: { error: () => {}, warn: () => {} },
    maxValueBytes: 64 * 1024,
    bodyLimitBytes: 1024 * 1024,
    agentGrantSeconds: 3600,
    closing: closing.signal,
    approvalPolicy: {},
    approvalRecheckMs: 2000,
    approvalEvents: createInProcessApprovalEvents(),
    webhookOutbox: NO_WEBHOOK_OUTBOX,
    metrics: createVaultMetrics({ pendingApprovals: async () => [] }),
    approvalTimers: { schedule: () => {} },
  });
  const keys = await bootstrapVault(context);
  if (keys === null) throw new Error("expected a first start");
  const actorFor = async (credential: string): Promise<Actor> => {
    const resolved = await resolvePrincipal(context, credential, { cached: false });
    if (!resolved.ok) throw new Error(`credential refused: ${resolved.reason}`);
    return { principal: resolved.principal, origin: ORIGIN };
  };
  return {
    context,
    clock,
    admin: await actorFor(keys.adminKey),
    agent: await actorFor(keys.agentKey),
    adminKey: keys.adminKey,
    agentKey: keys.agentKey,
    actorFor,
    async auditEvents() {
      // Services return once their events are durable: nothing to wait for.
      const rows = await database.db
        .selectFrom("audit_events")
        .select(["event", "outcome", "path", "detail"])
        .orderBy("seq")
        .execute();
      return rows;
    },
    async close() {
      closing.abort();
      await data.close();
    },
  };
}
