import { defineConfig } from "tsup";

// The private protocol package is bundled in (code and types): the client keeps zero runtime
// dependencies.
const bundled = ["@agentsecretstore/protocol"];

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "admin/index": "src/admin/index.ts",
    "cache/index": "src/cache/index.ts",
    "orchestrator/index": "src/orchestrator/index.ts",
    "sync/index": "src/sync/index.ts",
    "sync/sync-worker": "src/sync/sync-worker.ts",
  },
  format: ["esm"],
  dts: {
    entry: {
      index: "src/index.ts",
      "admin/index": "src/admin/index.ts",
      "cache/index": "src/cache/index.ts",
      "orchestrator/index": "src/orchestrator/index.ts",
      "sync/index": "src/sync/index.ts",
    },
    resolve: bundled,
  },
  noExternal: bundled,
  target: "node20",
  platform: "neutral",
  sourcemap: true,
  clean: true,
});
