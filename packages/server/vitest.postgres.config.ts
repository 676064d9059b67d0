import { defineProject, mergeConfig } from "vitest/config";
import server from "./vitest.config.js";

/**
 * The "server-postgres" project: the server's test suite on PostgreSQL. test/helpers/
 * test-database.ts reads ASS_TEST_DATABASE and gives each test server a fresh schema.
 */
export default mergeConfig(
  server,
  defineProject({
    test: {
      name: "server-postgres",
      env: { ASS_TEST_DATABASE: "postgres" },
      globalSetup: ["./test/helpers/postgres-global-setup.ts"],
      exclude: [
        // kill -9 of the one SQLite process: SQLite's durability (WAL, each acknowledged commit fsynced).
        // PostgreSQL's is tested with two instances in test/multi-instance.
        "test/crash.test.ts",
        // backupSqlite / restoreSqlite copy the SQLite file; PostgreSQL has pg_dump (README).
        "test/backup.test.ts",
        // SQLite's own connection handling (its durable commits, writer thread, direct statements).
        "src/db/{direct-statements,wal-sync,threaded-sqlite-dialect}.test.ts",
        // These start server processes on PostgreSQL themselves; once is enough.
        "test/multi-instance/**",
        // The benchmark harness runs its own PostgreSQL rows; its smoke test runs once.
        "bench/**",
        // The console in a browser: its pages do not depend on the engine; its sessions on
        // PostgreSQL are covered by test/console/console-sessions.test.ts.
        "test/console/browser/**",
        // The hosted product's clients speak HTTP to our routes, whatever the engine: their
        // suites (a minute of processes) run once, on SQLite.
        "test/hosted-clients/**",
      ],
    },
  }),
);
