import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { packageDir } from "./mcp-client.js";

/** The real `ass-mcp` process from source, with its output collected. */
export interface BinProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null>;
}

export function spawnBin(args: readonly string[], env: Record<string, string>): BinProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/bin.ts", ...args],
    { cwd: packageDir, env: { PATH: process.env.PATH ?? "", ...env } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited: () => exit };
}
