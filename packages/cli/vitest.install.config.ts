import { defineProject } from "vitest/config";

// The CLI, the server and the MCP server packed and installed globally into a scratch prefix
// (better-sqlite3 gets the workspace's own build as its prebuilt binary). The root `pnpm test` runs it among the other projects;
// `pnpm --filter @agentsecretstore/cli test:install` builds first and runs it alone.
export default defineProject({
  test: {
    name: "cli-install",
    environment: "node",
    include: ["test/install/**/*.test.ts"],
    hookTimeout: 2_400_000,
  },
});
