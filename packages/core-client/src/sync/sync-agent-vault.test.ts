import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AgentVaultAuthError,
  AgentVaultConfigurationError,
  AgentVaultError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultTimeoutError,
} from "../errors.js";
import type { Logger } from "../logger.js";
import { ScopedToken } from "../models/scoped-token.js";
import { Secret } from "../models/secret.js";
import { SyncAgentVault, type SyncAgentVaultOptions } from "./index.js";

// The fake vault runs in another process: this thread blocks during every sync call, so a
// server living here could never answer (docs/development.md).
const SERVER_SCRIPT = fileURLToPath(new URL("./fixtures/fake-vault-server.mjs", import.meta.url));
const AGENT_KEY = "ass_live_fakecanary0000";
const VALUE = "canary-value-1f3a-sync";

let server: ChildProcess;
let baseUrl: string;
const clients: SyncAgentVault[] = [];

function client(options: SyncAgentVaultOptions = {}): SyncAgentVault {
  const vault = new SyncAgentVault({ agentKey: AGENT_KEY, baseUrl, retries: 0, ...options });
  clients.push(vault);
  return vault;
}

beforeAll(async () => {
  server = spawn(process.execPath, [SERVER_SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: server.stdout! });
  const [firstLine] = (await once(lines, "line")) as [string];
  lines.close();
  baseUrl = `http://127.0.0.1:${(JSON.parse(firstLine) as { port: number }).port}/v1`;
});

afterEach(() => {
  for (const vault of clients.splice(0)) vault.close();
});

afterAll(async () => {
  server.kill();
  if (server.exitCode === null) await once(server, "exit");
});

// Each client starts a worker thread, which takes seconds on a loaded machine: a roomier limit.
describe("SyncAgentVault", { timeout: 30_000 }, () => {
  it("writes, reads and lists secrets synchronously", () => {
    const vault = client();
    const written = vault.setSecret("sync/app/api-key", VALUE, {
      tier: "standard",
      description: "for the sync test",
      tags: { team: "ml" },
    });
    expect(written.path).toBe("sync/app/api-key");
    expect(written.version).toBe(1);
    expect(written.tags).toEqual({ team: "ml" });
    vault.setSecret("sync/app/db-password", "canary-value-2b7c-db");

    const secret = vault.getSecret("sync/app/api-key");
    expect(secret).toBeInstanceOf(Secret);
    expect(secret.value).toBe(VALUE);
    expect(secret.version).toBe(1);
    expect(secret.description).toBe("for the sync test");

    const page = vault.listSecrets("sync/app", { limit: 1 });
    expect(page.items.map((item) => item.path)).toEqual(["sync/app/api-key"]);
    expect(page.nextCursor).not.toBeNull();
    const all = vault.listAllSecrets("sync/app", { limit: 1 });
    expect(all.map((item) => item.path)).toEqual(["sync/app/api-key", "sync/app/db-password"]);
  });

  it("returns Dates, not strings, in every model", () => {
    const vault = client();
    vault.setSecret("sync/dates/key", VALUE);
    const secret = vault.getSecret("sync/dates/key");
    expect(secret.createdAt).toBeInstanceOf(Date);
    expect(secret.updatedAt).toBeInstanceOf(Date);
    const metadata = vault.getMetadata("sync/dates/key");
    expect(metadata.versions?.[0]?.createdAt).toBeInstanceOf(Date);
    const rotation = vault.rotateSecret("sync/dates/key", "canary-value-3c9d-new", {
      gracePeriodSeconds: 60,
    });
    expect(rotation.newVersion).toBe(2);
    expect(rotation.expiresAt).toBeInstanceOf(Date);
    expect(vault.getSecret("sync/dates/key").value).toBe("canary-value-3c9d-new");
    expect(vault.getSecret("sync/dates/key", { version: 1 }).value).toBe(VALUE);
  });

  it("mints tokens as ScopedToken models, waits for approval and revokes", () => {
    const vault = client();
    const token = vault.requestToken({ scope: "secrets:read:sync/*", ttlSeconds: 600 });
    expect(token).toBeInstanceOf(ScopedToken);
    expect(token.value).toMatch(/^ast_tok_/);
    expect(token.expiresAt).toBeInstanceOf(Date);
    expect(String(token)).not.toContain(token.value);
    vault.revokeToken(token);

    const pending = vault.requestToken({ scope: "secrets:read:sensitive/*" });
    expect(pending.approvalStatus).toBe("pending");
    const approval = vault.waitForApproval(pending.approvalRequestId!, { timeout: 5_000 });
    expect(approval.status).toBe("approved");
    expect(approval.decidedAt).toBeInstanceOf(Date);
    expect(approval.approvals[0]?.at).toBeInstanceOf(Date);
    vault.revokeToken(pending.tokenId);
  });

  it("imports .env text and returns the imported keys", () => {
    const vault = client();
    const result = vault.importSecrets(
      "sync/imported",
      `FIRST_KEY=${VALUE}\nSECOND_KEY=canary-value-5e1d-second\n`,
      { tier: "standard", tags: { source: "dotenv" } },
    );
    expect(result).toEqual({
      namespace: "sync/imported",
      imported: ["FIRST_KEY", "SECOND_KEY"],
      importedCount: 2,
    });
    expect(vault.getSecret("sync/imported/FIRST_KEY").value).toBe(VALUE);
  });

  it("inspects a token as a ScopedToken with an empty value", () => {
    const vault = client();
    const minted = vault.requestToken({ scope: "secrets:read:sync/*", maxUses: 3 });
    const record = vault.inspectToken({ token: minted.value });
    expect(record).toBeInstanceOf(ScopedToken);
    expect(record).toMatchObject({ tokenId: minted.tokenId, maxUses: 3, value: "" });
    expect(record.expiresAt).toBeInstanceOf(Date);
    expect(JSON.stringify(record)).not.toContain(minted.value);
  });

  it("throws the async client's error classes, with their fields", () => {
    const vault = client();
    let notFound: unknown;
    try {
      vault.getSecret("sync/missing/key");
    } catch (error) {
      notFound = error;
    }
    expect(notFound).toBeInstanceOf(AgentVaultNotFoundError);
    expect(notFound).toBeInstanceOf(AgentVaultError);
    expect(notFound).toMatchObject({
      name: "AgentVaultNotFoundError",
      code: "SECRET_NOT_FOUND",
      status: 404,
      path: "sync/missing/key",
      requestId: expect.stringMatching(/^req_fake_/),
    });

    let denied: unknown;
    try {
      vault.getSecret("denied/area/key");
    } catch (error) {
      denied = error;
    }
    expect(denied).toBeInstanceOf(AgentVaultPermissionError);
    expect(denied).toMatchObject({
      code: "SCOPE_DENIED",
      path: "denied/area/key",
      requiredScope: "secrets:read:denied/area/key",
    });

    const revoked = client({ agentKey: "ass_live_revoked" });
    expect(() => revoked.deleteSecret("sync/app/api-key")).toThrow(AgentVaultAuthError);
  });

  it("gives up after callTimeout when the server never answers, and keeps working", () => {
    const vault = client({ callTimeout: 1_000, timeout: 60_000 });
    vault.setSecret("sync/after-timeout/key", VALUE);
    let timedOut: unknown;
    try {
      vault.getSecret("hang/forever");
    } catch (error) {
      timedOut = error;
    }
    expect(timedOut).toBeInstanceOf(AgentVaultTimeoutError);
    expect(timedOut).toMatchObject({ code: "SYNC_TIMEOUT" });
    // The late answer to the abandoned call must not be taken for this one's.
    expect(vault.getSecret("sync/after-timeout/key").value).toBe(VALUE);
  });

  it("reports a missing credential with the async client's error", () => {
    const vault = client({ agentKey: undefined, env: {} });
    expect(() => vault.getSecret("sync/app/api-key")).toThrow(AgentVaultConfigurationError);
    expect(() => vault.getSecret("sync/app/api-key")).toThrow(
      expect.objectContaining({ code: "MISSING_CREDENTIAL" }) as Error,
    );
  });

  it("throws malformed options from the constructor", () => {
    expect(() => new SyncAgentVault({ agentKey: AGENT_KEY, baseUrl: "ftp://nowhere" })).toThrow(
      AgentVaultConfigurationError,
    );
    expect(() => client({ callTimeout: -1 })).toThrow(AgentVaultConfigurationError);
  });

  it("refuses calls after close()", () => {
    const vault = client();
    vault.setSecret("sync/closed/key", VALUE);
    vault.close();
    vault.close();
    expect(() => vault.getSecret("sync/closed/key")).toThrow(
      expect.objectContaining({ code: "CLIENT_CLOSED" }) as Error,
    );
  });

  it("forwards the worker's log lines to the logger, without values or credentials", () => {
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) => {
      lines.push(`${message} ${inspect(fields)}`);
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const vault = client({ logger });
    vault.setSecret("sync/logged/key", VALUE);
    vault.getSecret("sync/logged/key");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(VALUE);
      expect(line).not.toContain(AGENT_KEY);
    }
  });

  it("keeps values out of what it prints", () => {
    const vault = client();
    vault.setSecret("sync/printed/key", VALUE);
    const secret = vault.getSecret("sync/printed/key");
    expect(String(secret)).not.toContain(VALUE);
    expect(JSON.stringify(secret)).not.toContain(VALUE);
    expect(inspect(secret)).not.toContain(VALUE);
    expect(inspect(vault, { showHidden: true })).not.toContain(AGENT_KEY);
  });
});
