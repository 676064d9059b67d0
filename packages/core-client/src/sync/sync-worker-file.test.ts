import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import type { AgentVaultConfigurationError } from "../errors.js";
import { DONE, PENDING } from "./sync-protocol.js";
import { resolveWorkerEntry, workerBootstrap } from "./sync-worker-file.js";

describe("resolveWorkerEntry", () => {
  it("finds the source worker entry beside the TypeScript module", () => {
    const entry = resolveWorkerEntry(new URL("./sync-agent-vault.ts", import.meta.url).href);
    expect(entry.pathname).toMatch(/src\/sync\/sync-worker-source\.mjs$/);
  });

  it("throws a clear error when the built worker file is missing", () => {
    expect(() => resolveWorkerEntry("file:///nonexistent/dist/sync/index.js")).toThrow(
      expect.objectContaining({
        name: "AgentVaultConfigurationError",
        code: "SYNC_WORKER_MISSING",
      }) as AgentVaultConfigurationError,
    );
  });
});

describe("workerBootstrap", () => {
  // A worker inherits the parent's execArgv: under `node --input-type=module` the bootstrap
  // runs as ESM, where an earlier version's `require` threw before it could report anything.
  it.each([
    ["CommonJS", []],
    ["ESM (--input-type=module)", ["--input-type=module"]],
  ])(
    "reports an entry that fails to load through the start-up channel, run as %s",
    (_mode, execArgv) => {
      const calls = new MessageChannel();
      const startState = new SharedArrayBuffer(4);
      const worker = new Worker(workerBootstrap(new URL("file:///nonexistent/sync-worker.js")), {
        eval: true,
        execArgv,
        workerData: { callPort: calls.port2, startState },
        transferList: [calls.port2],
      });
      try {
        const outcome = Atomics.wait(new Int32Array(startState), 0, PENDING, 10_000);
        expect(outcome).not.toBe("timed-out");
        expect(Atomics.load(new Int32Array(startState), 0)).toBe(DONE);
        expect(receiveMessageOnPort(calls.port1)?.message).toMatchObject({
          id: 0,
          ok: false,
          error: {
            name: "AgentVaultConfigurationError",
            fields: { code: "SYNC_WORKER_START_FAILED" },
          },
        });
      } finally {
        calls.port1.close();
        void worker.terminate();
      }
    },
  );
});
