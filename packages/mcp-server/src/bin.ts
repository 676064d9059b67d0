import { CommanderError } from "commander";
import { McpConfigError } from "./mcp-config-error.js";
import { runMcpServer } from "./run-mcp-server.js";
import { reexecTrustingCaCertificate } from "./tls/trust-ca-certificate.js";

// ASS_CA_CERT: run again with the CA trusted (Node reads extra CAs only at start-up).
let reexecCode: number | null;
try {
  reexecCode = await reexecTrustingCaCertificate(process);
} catch (error) {
  process.stderr.write(`ass-mcp: ${(error as Error).message}\n`);
  process.exit(2);
}
if (reexecCode !== null) process.exit(reexecCode);

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
