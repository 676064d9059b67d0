import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault, type RetryWait } from "@agentsecretstore/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/start-server.js";
import { startServerDatabase } from "./helpers/test-database.js";

// The real client against a real server whose write budget is one a second: the client waits
// for the server's Retry-After, and says so through onWait, instead of waiting silently.
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ass-e2e-waits-"));
  server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    ...(await startServerDatabase()),
    rateLimits: { writes: { points: 1, durationSeconds: 1 } },
  });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("@agentsecretstore/client rate limited by the server", () => {
  it("tells onWait about every Retry-After wait, then succeeds", async () => {
    const waits: RetryWait[] = [];
    const warnings: string[] = [];
    const vault = new AgentVault({
      agentKey: server.firstStart?.agentKey,
      baseUrl: server.baseUrl,
      retries: 3,
      env: {},
      onWait: (wait) => waits.push(wait),
      logger: {
        debug: () => {},
        info: () => {},
        warn: (message) => warnings.push(message),
        error: () => {},
      },
    });
    try {
      await vault.setSecret("waits/a", "canary-value-wait-1");
      const started = performance.now();
      await vault.setSecret("waits/b", "canary-value-wait-2");
      const waitedMs = performance.now() - started;
      expect(waits.length).toBeGreaterThanOrEqual(1);
      expect(waits[0]).toMatchObject({
        retryAfter: true,
        code: "RATE_LIMITED",
        status: 429,
        attempt: 1,
        method: "PUT",
        path: "/v1/secrets/waits/b",
      });
      expect(waits[0]?.delayMs).toBeGreaterThanOrEqual(1000);
      expect(waitedMs).toBeGreaterThanOrEqual(900);
      expect(warnings).toContain("vault asked to wait (Retry-After)");
      expect((await vault.getSecret("waits/b")).value).toBe("canary-value-wait-2");
    } finally {
      vault.close();
    }
  });
});
