import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    name: "mcp-server",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The end-to-end tests start real processes (tsx, the MCP server, a vault) on a shared machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // eventsource-parser (under the MCP SDK's HTTP client) has a "source" export condition too,
    // pointing to TypeScript: its importers go through vite, which resolves it to TypeScript it
    // can transform, instead of Node, which cannot load it.
    server: { deps: { inline: [/sdk[\\/]dist[\\/]esm[\\/]client[\\/]/, /eventsource-parser/] } },
  },
});
