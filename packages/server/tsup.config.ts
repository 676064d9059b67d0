import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm"],
  dts: true,
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  // The console's browser files are served as they are, from beside the bundle.
  onSuccess: async () => {
    cpSync("src/console/assets", "dist/console-assets", { recursive: true });
  },
});
