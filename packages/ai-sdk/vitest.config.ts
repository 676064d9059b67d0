import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "ai-sdk",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // eventsource-parser (used by the AI SDK) publishes a `source` condition too, pointing at
    // TypeScript files that Node cannot load: let Vite transform it.
    server: { deps: { inline: ["eventsource-parser", /@ai-sdk\//, /node_modules\/ai\//] } },
  },
});
