import { defineConfig } from "tsup";

// The private protocol package is bundled in (code and types): the client keeps zero runtime
// dependencies.
const bundled = ["@agentsecretstore/protocol"];

// The public entry points (each with its types), as package.json's exports name them.
const entries = {
  index: "src/index.ts",
  "admin/index": "src/admin/index.ts",
  "cache/index": "src/cache/index.ts",
  "orchestrator/index": "src/orchestrator/index.ts",
  "sync/index": "src/sync/index.ts",
};

export default defineConfig({
  // The sync worker is its own file, loaded by path at run time: no types of its own.
  entry: { ...entries, "sync/sync-worker": "src/sync/sync-worker.ts" },
  format: ["esm"],
  dts: { entry: entries, resolve: bundled },
  noExternal: bundled,
  target: "node20",
  platform: "neutral",
  sourcemap: true,
  clean: true,
});
