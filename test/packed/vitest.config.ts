import { defineProject } from "vitest/config";

// The public packages as a user gets them from the registry: packed, installed with npm into a
// project of their own with their peers, and imported there (`packed-packages.test.ts`).
export default defineProject({
  test: {
    name: "packed-packages",
    environment: "node",
    include: ["**/*.test.ts"],
    hookTimeout: 600_000,
  },
});
