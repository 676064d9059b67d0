import { processIo } from "./cli-io.js";
import { run } from "./run.js";

// `ass … | head` closes the pipe early; that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// ASS_CA_CERT: run again with that CA trusted (Node reads extra CAs only at start-up). Loaded
// only then: the MCP package is more than a plain command needs.
let reexecCode: number | null = null;
try {
  if (process.env.ASS_CA_CERT) {
    const { reexecTrustingCaCertificate } = await import("@agentsecretstore/mcp");
    reexecCode = await reexecTrustingCaCertificate(process);
  }
} catch (error) {
  process.stderr.write(`ass: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
if (reexecCode !== null) process.exitCode = reexecCode;
else if (process.exitCode === undefined)
  process.exitCode = await run(process.argv.slice(2), processIo());
