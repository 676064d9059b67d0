import { defineConfig } from "tsup";

// Built only so that consumers' bundlers can inline it (code and one .d.ts); never published.
export default defineConfig({
  entry: { index: "src/index.ts", "scope-cases": "src/scope-cases.ts" },
  format: ["esm"],
  // One self-contained .d.ts for the index (what consumers inline); the test table needs none.
  dts: { entry: { index: "src/index.ts" } },
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  clean: true,
});
