import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "cli",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Packing and installing globally takes minutes: `pnpm test:install` runs it.
    exclude: ["test/install/**", "**/node_modules/**"],
  },
});
