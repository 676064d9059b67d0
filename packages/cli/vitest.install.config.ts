import { defineProject } from "vitest/config";

// `pnpm --filter @agentsecretstore/cli test:install`: builds, packs and installs the CLI
// globally into a scratch prefix (minutes: better-sqlite3 compiles), so it is not in `test`.
export default defineProject({
  test: {
    name: "cli-install",
    environment: "node",
    include: ["test/install/**/*.test.ts"],
    hookTimeout: 2_400_000,
  },
});
