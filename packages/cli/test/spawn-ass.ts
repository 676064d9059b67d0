import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The real `ass` process, run from source (`src/bin.ts` through tsx), with only PATH and `env`
 * in its environment and piped standard streams; `stdout()`/`stderr()` return what it wrote.
 */
export function spawnAss(argv: readonly string[], env: Record<string, string | undefined> = {}) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/bin.ts", ...argv],
    { cwd: packageDir, env: { PATH: process.env.PATH, ...env } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}
