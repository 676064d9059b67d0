import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "examples",
      // What users get from the registry: every public adapter package packed, installed with npm
      // and imported (test/packed); the CLI with the server and the MCP server packed and
      // installed globally, then run as `ass` (packages/cli/test/install).
      "test/packed",
      "packages/cli/vitest.install.config.ts",
      // The server's whole suite again, on PostgreSQL (127.0.0.1:5432, database `test`): every
      // test server gets a schema of its own. Files left out are named in the server's
      // vitest.postgres.config.ts, with the reason.
      "packages/server/vitest.postgres.config.ts",
    ],
  },
});
