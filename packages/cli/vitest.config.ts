import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "cli",
    environment: "node",
    // The files share their worker's modules (the CLI loads the server and the client): no
    // test depends on module-level state, and loading them again per file cost half the time.
    isolate: false,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Packing and installing globally takes minutes: `pnpm test:install` runs it.
    exclude: ["test/install/**", "**/node_modules/**"],
  },
});
