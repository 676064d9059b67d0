import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AgentVault,
  AgentVaultApprovalPendingError,
  AgentVaultConflictError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultRateLimitError,
  ApprovalStatus,
  waitForApproval,
} from "@agentsecretstore/client";
import { VaultAdmin } from "@agentsecretstore/client/admin";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, type StartServerOptions, startServer } from "../src/start-server.js";
import { startServerDatabase } from "./helpers/test-database.js";
import { createTestClock, type TestClock, UNTHROTTLED } from "./helpers/test-server.js";

// The real client and VaultAdmin against a real server over loopback.
type Running = {
  server: RunningServer;
  clock: TestClock;
  vault: AgentVault;
  admin: VaultAdmin;
  dataDir: string;
  closeables: { close(): Promise<void> }[];
};

let running: Running | undefined;
afterEach(async () => {
  if (running === undefined) return;
  for (const closeable of running.closeables) await closeable.close();
  await running.server.close();
  await rm(running.dataDir, { recursive: true, force: true });
  running = undefined;
});

async function start(options: Partial<StartServerOptions> = {}): Promise<Running> {
  // Starts at the real time, so that the client (on the real clock) agrees with the server
  // until a test moves the server's clock on.
  const clock = createTestClock(new Date());
  const dataDir = await mkdtemp(join(tmpdir(), "ass-e2e-approvals-"));
  const server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    ...(await startServerDatabase()),
    now: clock.now,
    rateLimits: UNTHROTTLED,
    ...options,
  });
  const connection = { baseUrl: server.baseUrl, retries: 0, env: {} };
  const vault = new AgentVault({ agentKey: server.firstStart?.agentKey, ...connection });
  const admin = new VaultAdmin({ adminKey: server.firstStart?.adminKey, ...connection });
  running = { server, clock, vault, admin, dataDir, closeables: [vault, admin] };
  return running;
}

function tokenVault(test: Running, token: string): AgentVault {
  const vault = new AgentVault({ token, baseUrl: test.server.baseUrl, retries: 0, env: {} });
  test.closeables.push(vault);
  return vault;
}

async function secondAdmin(test: Running): Promise<VaultAdmin> {
  const created = await test.admin.createAdmin({ name: "second approver" });
  const admin = new VaultAdmin({
    adminKey: created.apiKey,
    baseUrl: test.server.baseUrl,
    retries: 0,
    env: {},
  });
  test.closeables.push(admin);
  return admin;
}

describe("approvals through the client", () => {
  it("pending → approve → the same token reads, with waitForApproval woken by the decision", async () => {
    const test = await start();
    await test.vault.setSecret("prod/stripe/key", "canary-value-e2e-s", { tier: "sensitive" });
    const token = await test.vault.requestToken({ scope: "secrets:read:prod/stripe/*" });
    expect(token.approvalStatus).toBe("pending");
    const approvalRequestId = token.approvalRequestId ?? "";
    const subagent = tokenVault(test, token.value);

    const pending = await subagent.getSecret("prod/stripe/key").catch((error: unknown) => error);
    expect(pending).toBeInstanceOf(AgentVaultApprovalPendingError);
    expect((pending as AgentVaultApprovalPendingError).approvalRequestId).toBe(approvalRequestId);

    const queue = await test.admin.listApprovals({ status: ApprovalStatus.PENDING });
    expect(queue.map((request) => request.id)).toEqual([approvalRequestId]);

    // A generous wait: the answer must come with the decision, long before it runs out.
    const waited = waitForApproval(subagent, approvalRequestId, { timeout: 60_000 });
    const decided = await test.admin.approve(approvalRequestId, { comment: "ok for the run" });
    expect(decided.status).toBe(ApprovalStatus.APPROVED);
    const approved = await waited;
    expect(approved.status).toBe(ApprovalStatus.APPROVED);
    expect(approved.approvals.map((approval) => approval.comment)).toEqual(["ok for the run"]);

    expect((await subagent.getSecret("prod/stripe/key")).value).toBe("canary-value-e2e-s");
  });

  it("critical: two different approvers, then the delay, and a cancel during the delay", async () => {
    const test = await start();
    await test.vault.setSecret("prod/root/key", "canary-value-e2e-c", { tier: "critical" });
    const other = await secondAdmin(test);

    const first = await test.vault.requestToken({ scope: "secrets:read:prod/root/*" });
    const firstId = first.approvalRequestId ?? "";
    await test.admin.approve(firstId);
    const twice = await test.admin.approve(firstId).catch((error: unknown) => error);
    expect(twice).toBeInstanceOf(AgentVaultConflictError);
    expect((twice as AgentVaultConflictError).status).toBe(409);
    const delayed = await other.approve(firstId);
    expect(delayed.status).toBe(ApprovalStatus.PENDING);
    expect(delayed.eligibleAt?.getTime()).toBe(test.clock.now().getTime() + 300_000);

    const second = await test.vault.requestToken({ scope: "secrets:read:prod/root/key" });
    const secondId = second.approvalRequestId ?? "";
    await test.admin.approve(secondId);
    await other.approve(secondId);

    test.clock.advance(60);
    const firstReader = tokenVault(test, first.value);
    await expect(firstReader.getSecret("prod/root/key")).rejects.toBeInstanceOf(
      AgentVaultApprovalPendingError,
    );
    const cancelled = await test.admin.cancel(secondId, { comment: "not this one" });
    expect(cancelled.status).toBe(ApprovalStatus.CANCELLED);

    test.clock.advance(240);
    expect((await firstReader.getSecret("prod/root/key")).value).toBe("canary-value-e2e-c");
    const denied = await tokenVault(test, second.value)
      .getSecret("prod/root/key")
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AgentVaultPermissionError);
    expect((denied as AgentVaultPermissionError).code).toBe("APPROVAL_DENIED");
  });

  it("a denial leaves the token refused with APPROVAL_DENIED", async () => {
    const test = await start();
    await test.vault.setSecret("prod/db/password", "canary-value-e2e-d", { tier: "sensitive" });
    const token = await test.vault.requestToken({ scope: "secrets:read:prod/db/*" });
    const subagent = tokenVault(test, token.value);
    const waited = waitForApproval(subagent, token.approvalRequestId ?? "", { timeout: 60_000 });
    await test.admin.deny(token.approvalRequestId ?? "", { comment: "no" });
    expect((await waited).status).toBe(ApprovalStatus.DENIED);
    const refused = await subagent.getSecret("prod/db/password").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AgentVaultPermissionError);
    expect((refused as AgentVaultPermissionError).code).toBe("APPROVAL_DENIED");
  });

  it("keeps each tenant's approval requests to itself", async () => {
    const test = await start();
    await test.vault.setSecret("prod/stripe/key", "canary-value-e2e-t", { tier: "sensitive" });
    const token = await test.vault.requestToken({ scope: "secrets:read:prod/stripe/*" });
    const tenant = await test.admin.createTenant({ name: "another team" });
    const outsider = new VaultAdmin({
      adminKey: tenant.adminKey,
      baseUrl: test.server.baseUrl,
      retries: 0,
      env: {},
    });
    test.closeables.push(outsider);
    expect(await outsider.listApprovals()).toEqual([]);
    await expect(outsider.getApproval(token.approvalRequestId ?? "")).rejects.toBeInstanceOf(
      AgentVaultNotFoundError,
    );
    await expect(outsider.approve(token.approvalRequestId ?? "")).rejects.toBeInstanceOf(
      AgentVaultNotFoundError,
    );
    const events = await outsider.listAudit();
    expect(events.items.map((event) => event.event)).not.toContain("approval.requested");
  });
});

describe("rate limits through the client", () => {
  it("throws AgentVaultRateLimitError with retryAfter, and the retry after it succeeds", async () => {
    const test = await start({ rateLimits: { perCredential: { points: 2, durationSeconds: 1 } } });
    await test.vault.setSecret("app/key", "canary-value-e2e-r");
    await test.vault.getSecret("app/key");
    const limited = await test.vault.getSecret("app/key").catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(AgentVaultRateLimitError);
    const retryAfter = (limited as AgentVaultRateLimitError).retryAfter ?? 0;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect((limited as AgentVaultRateLimitError).code).toBe("RATE_LIMITED");

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await test.vault.getSecret("app/key")).value).toBe("canary-value-e2e-r");
  });
});

describe("idempotent writes through the client", () => {
  it("makes one version when a write is retried after its answer was lost", async () => {
    const test = await start();
    let lost = false;
    const flaky = new AgentVault({
      agentKey: test.server.firstStart?.agentKey,
      baseUrl: test.server.baseUrl,
      retries: 2,
      env: {},
      // The first PUT reaches the server, but its answer never comes back.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!lost && init?.method === "PUT") {
          lost = true;
          throw new TypeError("fetch failed");
        }
        return response;
      },
    });
    test.closeables.push(flaky);
    const written = await flaky.setSecret("app/once", "canary-value-e2e-i");
    expect(lost).toBe(true);
    expect(written.version).toBe(1);
    const metadata = await test.vault.getMetadata("app/once");
    expect(metadata.version).toBe(1);
    expect(metadata.versions).toHaveLength(1);
  });
});
