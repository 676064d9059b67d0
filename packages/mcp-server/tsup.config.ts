import { defineConfig } from "tsup";

// The private protocol package is bundled in (code and types), never a runtime dependency.
const bundled = ["@agentsecretstore/protocol"];

export default defineConfig({
  entry: { index: "src/index.ts", bin: "src/bin.ts" },
  format: ["esm"],
  dts: { resolve: bundled },
  noExternal: bundled,
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
});
