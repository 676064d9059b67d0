import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "admin/index": "src/admin/index.ts",
    "orchestrator/index": "src/orchestrator/index.ts",
    "sync/index": "src/sync/index.ts",
    "sync/sync-worker": "src/sync/sync-worker.ts",
  },
  format: ["esm"],
  dts: {
    entry: {
      index: "src/index.ts",
      "admin/index": "src/admin/index.ts",
      "orchestrator/index": "src/orchestrator/index.ts",
      "sync/index": "src/sync/index.ts",
    },
  },
  target: "node20",
  platform: "neutral",
  sourcemap: true,
  clean: true,
});
