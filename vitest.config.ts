import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "examples",
      // Every public adapter package packed, installed with npm and imported (test/packed).
      "test/packed",
      // The server's whole suite again, on PostgreSQL (127.0.0.1:5432, database `test`): every
      // test server gets a schema of its own. Files left out are named in the server's
      // vitest.postgres.config.ts, with the reason.
      "packages/server/vitest.postgres.config.ts",
    ],
  },
});
