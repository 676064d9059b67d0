import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AgentVaultConfigurationError } from "../errors.js";
import { DONE } from "./sync-protocol.js";

/**
 * The worker's entry module beside this one: `sync-worker.js` in the build (`dist/sync/`),
 * or `sync-worker-source.mjs` when running from TypeScript sources, which loads
 * `sync-worker.ts` through tsx. Throws when the file is missing.
 */
export function resolveWorkerEntry(moduleUrl: string = import.meta.url): URL {
  const fromSource = moduleUrl.endsWith(".ts");
  const entry = new URL(fromSource ? "./sync-worker-source.mjs" : "./sync-worker.js", moduleUrl);
  if (!existsSync(fileURLToPath(entry))) {
    throw new AgentVaultConfigurationError(
      `SyncAgentVault cannot find its worker file at ${fileURLToPath(entry)}; the package is incomplete (rebuild or reinstall @agentsecretstore/client).`,
      { code: "SYNC_WORKER_MISSING" },
    );
  }
  return entry;
}

/**
 * Source of the worker's first script (run with `eval: true`). It imports the entry and,
 * when that fails (a missing dependency, tsx absent when running from sources), reports
 * the failure through the start-up channel at once instead of leaving the caller to wait
 * for the start timeout.
 */
export function workerBootstrap(entry: URL): string {
  // Only dynamic import(): the worker inherits the parent's execArgv, so this script runs as
  // CommonJS or, under `node --input-type=module`, as ESM, where `require` does not exist.
  return `
import("node:worker_threads").then(({ workerData }) =>
  import(${JSON.stringify(entry.href)}).catch((error) => {
    workerData.callPort.postMessage({
      id: 0,
      ok: false,
      error: {
        name: "AgentVaultConfigurationError",
        message: "The SyncAgentVault worker failed to load (" + String(error && error.message) + ").",
        fields: { code: "SYNC_WORKER_START_FAILED" },
      },
    });
    const cell = new Int32Array(workerData.startState);
    Atomics.store(cell, 0, ${DONE});
    Atomics.notify(cell, 0);
  }),
);
`;
}
