import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "server",
    environment: "node",
    // The test files share their worker's modules instead of loading Fastify, zod, Kysely and
    // the server's sources again for each file (~3.5 s a file on two cores, half the suite's
    // time). The server keeps no module-level state a test depends on: every test builds its
    // own servers, databases and registries.
    isolate: false,
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
  },
});
