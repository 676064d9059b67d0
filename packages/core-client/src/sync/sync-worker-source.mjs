// Worker entry when SyncAgentVault runs from its TypeScript sources (vitest, tsx): Node 20
// cannot load sync-worker.ts by itself, and a worker does not inherit `--import tsx`.
// The built package starts dist/sync/sync-worker.js directly and never uses this file.
const { tsImport } = await import("tsx/esm/api");
await tsImport("./sync-worker.ts", import.meta.url);
