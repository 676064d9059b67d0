import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI package of this repository, whose `src/bin.ts` is `ass`. */
const CLI_PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), "../../cli");

/** Options of {@link startVaultProcess}. */
export interface VaultProcessOptions {
  /** More arguments for `ass server` (e.g. `["--critical-delay", "0"]`). */
  readonly args?: readonly string[] | undefined;
  /** Variables for the process besides `PATH` and `HOME` (nothing else is inherited). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** How long the start may take, in ms. @default 30_000 */
  readonly timeoutMs?: number | undefined;
}

/** `ass server` running as a child process, and the keys it printed on its first start. */
export interface VaultProcess extends AsyncDisposable {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly agentKey: string;
  /** The temporary data folder, removed by `close()`. */
  readonly dataDir: string;
  /** Everything the process wrote to stderr so far (its log; never a key). */
  stderr(): string;
  /** SIGTERM, waits for the exit, removes the data folder; resolves with the exit code. */
  close(): Promise<number | null>;
}

/**
 * Starts `ass server --port 0` from this repository's CLI sources (through tsx) with its data in
 * a new temporary folder, and waits for the first-start keys it prints. For tests of what a
 * separate process does (signals, exit codes, logs); {@link startVault} is quicker otherwise.
 */
export async function startVaultProcess(options: VaultProcessOptions = {}): Promise<VaultProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-testkit-process-"));
  const child = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "src/bin.ts",
      "server",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      ...(options.args ?? []),
    ],
    {
      cwd: CLI_PACKAGE,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dataDir, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => {
    child.on("exit", (code) => resolveExit(code));
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const code = await exited;
    await rm(dataDir, { recursive: true, force: true });
    return code;
  };
  try {
    const keys = await firstStartKeys(() => stdout, exited, options.timeoutMs ?? 30_000);
    return {
      child,
      ...keys,
      dataDir,
      stderr: () => stderr,
      close,
      [Symbol.asyncDispose]: async () => {
        await close();
      },
    };
  } catch (error) {
    await close();
    throw new Error(`ass server did not start: ${(error as Error).message}\n${stderr}`);
  }
}

/** Waits for the `ASS_BASE_URL=`, `ASS_ADMIN_KEY=` and `ASS_AGENT_KEY=` lines of a first start. */
async function firstStartKeys(
  stdout: () => string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<{ baseUrl: string; adminKey: string; agentKey: string }> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = new Map(
      stdout()
        .split("\n")
        .map((line) => /^(ASS_[A-Z_]+)=(.+)$/.exec(line.trim()))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]] as const),
    );
    const baseUrl = lines.get("ASS_BASE_URL");
    const adminKey = lines.get("ASS_ADMIN_KEY");
    const agentKey = lines.get("ASS_AGENT_KEY");
    if (baseUrl && adminKey && agentKey) return { baseUrl, adminKey, agentKey };
    if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
    if (Date.now() > deadline) throw new Error(`no keys within ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}
