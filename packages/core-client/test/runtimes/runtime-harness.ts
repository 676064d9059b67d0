import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startVault } from "@agentsecretstore/testkit";
import { build } from "esbuild";
import { afterAll, beforeAll, expect } from "vitest";
import { AgentVault } from "../../src/index.js";
import type { QuickStartConfig, QuickStartReport } from "./quick-start.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** The client package's folder, where `node_modules/.bin` holds bun and deno. */
export const PACKAGE_ROOT = resolve(HERE, "../..");

/** A real vault on a random loopback port, a scratch folder, and a way to check what arrived. */
export interface RuntimeVault {
  readonly baseUrl: string;
  readonly port: number;
  /** A folder for bundles and runtime caches; removed by `close()`. */
  readonly scratch: string;
  /** The quick start's input for `runtime`: its own path and a fake value. */
  config(runtime: string): QuickStartConfig;
  /** The value at `path` as the server holds it, read by a Node client with the agent key. */
  readBack(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function startRuntimeVault(): Promise<RuntimeVault> {
  const scratch = await mkdtemp(join(tmpdir(), "ass-client-runtimes-"));
  const vault = await startVault({ prefix: "ass-client-runtimes-data-" });
  const { agentKey, baseUrl } = vault;
  // A client of this package's source (the kit's clients are the workspace package's).
  const reader = new AgentVault({ baseUrl, agentKey, env: {}, retries: 0 });
  return {
    baseUrl,
    port: Number(new URL(baseUrl).port),
    scratch,
    config: (runtime) => ({
      baseUrl,
      agentKey,
      path: `runtimes/${runtime}/api-key`,
      value: `not-a-real-key-${runtime}-${Math.random().toString(36).slice(2)}`,
    }),
    readBack: async (path) => (await reader.getSecret(path)).value,
    close: async () => {
      await reader.close();
      await vault.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * One ES module holding the quick start and the client's main entry (from source, not
 * minified), ending with `tail` (which calls `quickStart(config)`); written into `folder`.
 */
export async function bundleQuickStart(folder: string, tail: string): Promise<string> {
  const file = join(folder, `quick-start-${Math.random().toString(36).slice(2)}.mjs`);
  const result = await build({
    stdin: {
      contents: `import { quickStart } from "./quick-start.ts";\n${tail}`,
      resolveDir: HERE,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    // Workspace packages (the bundled protocol package) resolve to their sources.
    conditions: ["source"],
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild produced no output");
  await writeFile(file, output.text);
  return file;
}

/** Runs a command to completion; resolves with its exit code and output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** The report a runtime printed as its last line of output. */
export function lastReport(stdout: string): QuickStartReport {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "") as QuickStartReport;
}

/** The environment a child runtime gets: a PATH and a HOME in the scratch folder, nothing else. */
export function childEnvironment(
  scratch: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch, DO_NOT_TRACK: "1", ...extra };
}

/** Checks a runtime's report step by step, and that the value it wrote arrived intact. */
export async function expectQuickStartWorked(
  vault: RuntimeVault,
  config: QuickStartConfig,
  report: QuickStartReport,
  runtime: string,
): Promise<void> {
  expect(report).toEqual({
    runtime,
    writtenVersion: 1,
    readMatches: true,
    printed: `Secret(${config.path} v1, value [REDACTED])`,
    approvalStatus: "approved",
    tokenIsScoped: true,
    readWithTokenMatches: true,
    afterRevoke: "AgentVaultAuthError",
  });
  expect(await vault.readBack(config.path)).toBe(config.value);
}

/** Starts a vault before the file's tests and closes it after them; returns a getter. */
export function useRuntimeVault(): () => RuntimeVault {
  let vault: RuntimeVault | undefined;
  beforeAll(async () => {
    vault = await startRuntimeVault();
  });
  afterAll(async () => {
    await vault?.close();
  });
  return () => {
    if (vault === undefined) throw new Error("the vault has not started");
    return vault;
  };
}

/**
 * Runs the bundled quick start with a command-line runtime (`bun`, `deno`), as
 * `command ...args(file)`, and checks that it printed a report of a quick start that worked.
 */
export async function expectCommandLineQuickStart(
  vault: RuntimeVault,
  runtime: string,
  command: string,
  args: (file: string) => readonly string[],
  extraEnvironment: Record<string, string> = {},
): Promise<void> {
  const config = vault.config(runtime);
  const file = await bundleQuickStart(
    vault.scratch,
    `console.log(JSON.stringify(await quickStart(${JSON.stringify(config)})));`,
  );
  const result = await run(command, args(file), {
    cwd: vault.scratch,
    env: childEnvironment(vault.scratch, extraEnvironment),
    timeoutMs: 60_000,
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  await expectQuickStartWorked(vault, config, lastReport(result.stdout), runtime);
}
