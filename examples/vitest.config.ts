import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "examples",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // Each test starts real processes (tsx, a vault server, model stubs).
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
