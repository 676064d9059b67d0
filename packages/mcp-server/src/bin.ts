import { CommanderError } from "commander";
import { McpConfigError } from "./mcp-config-error.js";
import { runMcpServer } from "./run-mcp-server.js";

const controller = new AbortController();
process.once("SIGTERM", () => controller.abort());
process.once("SIGINT", () => controller.abort());

try {
  await runMcpServer(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  process.exit(0);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the help, the version or the usage problem.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ass-mcp: ${message}\n`);
  process.exit(error instanceof McpConfigError ? 2 : 1);
}
