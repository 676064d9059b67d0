import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root: examples run from there, as `pnpm demo` does. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

// `--import tsx` resolves from the working directory; README snippets run in a temporary one.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** How a child process ended. */
export type ProcessResult = { code: number | null; stdout: string; stderr: string };

/** Options of {@link runTypeScript}. */
export type RunOptions = {
  /** Working directory. @default the repository root */
  cwd?: string;
  /** Extra environment variables, on top of this process's minus every `ASS_*` and `OPENAI_*`. */
  env?: Record<string, string>;
  /** Kill the process after this many milliseconds. @default 90_000 */
  timeout?: number;
};

/**
 * Runs a TypeScript file the way the README says (`node --conditions=source --import tsx`),
 * without colours and without any vault or OpenAI variables of the caller's environment.
 */
export function runTypeScript(file: string, options: RunOptions = {}): Promise<ProcessResult> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith("ASS_") || name.startsWith("OPENAI_")) continue;
    env[name] = value;
  }
  Object.assign(env, options.env);
  const child = spawn(process.execPath, ["--conditions=source", "--import", tsxLoader, file], {
    cwd: options.cwd ?? repositoryRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 90_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
