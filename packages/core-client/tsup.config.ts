import { packageConfig } from "../../tsup.base.js";

// The public entry points (each with its types), as package.json's exports name them. The
// protocol package is bundled in: the client keeps zero runtime dependencies.
const entries = {
  index: "src/index.ts",
  "admin/index": "src/admin/index.ts",
  "cache/index": "src/cache/index.ts",
  "import/index": "src/import/index.ts",
  "orchestrator/index": "src/orchestrator/index.ts",
  "sync/index": "src/sync/index.ts",
};

// The sync worker is its own file, loaded by path at run time: no types of its own.
export default packageConfig(
  { ...entries, "sync/sync-worker": "src/sync/sync-worker.ts" },
  { dtsEntry: entries, platform: "neutral" },
);
