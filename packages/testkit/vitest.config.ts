import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "testkit",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
