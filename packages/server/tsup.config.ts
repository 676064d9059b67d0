import { cpSync } from "node:fs";
import { packageConfig } from "../../tsup.base.js";

export default packageConfig(
  { index: "src/index.ts", options: "src/options.ts" },
  {
    // The console's browser files are served as they are, from beside the bundle; the SQLite
    // writer thread's script is loaded from beside it too.
    onSuccess: async () => {
      cpSync("src/console/assets", "dist/console-assets", { recursive: true });
      cpSync("src/db/sqlite-writer-worker.js", "dist/sqlite-writer-worker.js");
    },
  },
);
