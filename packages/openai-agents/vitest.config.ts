import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "openai-agents",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Some of the Agents SDK's dependencies (eventsource, eventsource-parser, through the MCP client) publish a `source`
    // condition too, pointing at TypeScript files that Node cannot load: let Vite load them.
    server: {
      deps: {
        inline: [/eventsource/, /@modelcontextprotocol\//, /@openai\//, /node_modules\/openai\//],
      },
    },
  },
});
