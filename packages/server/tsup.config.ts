import { cpSync } from "node:fs";
import { packageConfig } from "../../tsup.base.js";

export default packageConfig(
  { index: "src/index.ts" },
  {
    // The console's browser files are served as they are, from beside the bundle.
    onSuccess: async () => {
      cpSync("src/console/assets", "dist/console-assets", { recursive: true });
    },
  },
);
