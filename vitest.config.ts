import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "examples",
      // The server's whole suite again, on PostgreSQL (127.0.0.1:5432, database `test`): every
      // test server gets a schema of its own. Files left out are named in the server's
      // vitest.postgres.config.ts, with the reason.
      "packages/server/vitest.postgres.config.ts",
    ],
  },
});
