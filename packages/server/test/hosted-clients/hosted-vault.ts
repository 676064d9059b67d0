// A real vault on a real socket (SQLite in a data folder, or PostgreSQL in the "server-postgres"
// project) for the hosted product's SDK, CLI and MCP server 1.0, installed from the registry
// into this folder (package.json here) under the aliases hosted-sdk, hosted-cli and hosted-mcp.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "../../src/start-server.js";
import { callJson } from "../helpers/server-process.js";
import { startServerDatabase } from "../helpers/test-database.js";
import { UNTHROTTLED } from "../helpers/test-server.js";

/** Where each hosted package's entry point is (their `exports` hide package.json). */
export const HOSTED_CLI_BIN = join(import.meta.dirname, "node_modules/hosted-cli/dist/index.js");
export const HOSTED_MCP_BIN = join(import.meta.dirname, "node_modules/hosted-mcp/bin/run.js");

export type HostedVault = {
  server: RunningServer;
  /** What the hosted clients take as ASS_API_URL: the origin, without /v1. */
  apiUrl: string;
  adminKey: string;
  agentKey: string;
  /** Every line the server logged, to check that no value got there. */
  logs: string[];
  /** A call to our API with one of the keys (to check outcomes the way an operator would). */
  api(
    method: string,
    path: string,
    credential: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
};

/** Starts the vault (info-level logs captured) with its first-start keys. */
export async function startHostedVault(): Promise<HostedVault> {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-hosted-"));
  const logs: string[] = [];
  const server = await startServer({
    port: 0,
    dataDir,
    ...(await startServerDatabase()),
    logger: { level: "info", stream: { write: (line: string) => logs.push(line) } },
    rateLimits: UNTHROTTLED,
  });
  if (server.firstStart === null) throw new Error("expected a first start");
  return {
    server,
    apiUrl: server.url,
    adminKey: server.firstStart.adminKey,
    agentKey: server.firstStart.agentKey,
    logs,
    api: (method, path, credential, body) =>
      callJson(method, `${server.url}${path}`, credential, body),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One answer to an interactive prompt: wait until stdout shows `prompt`, then type `keys`. */
export type PromptAnswer = { prompt: string; keys: string };

export type ProcessResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `node <bin> ...args` with exactly `env` (plus PATH), answering prompts in order, and
 * resolves when it exits (killed after `timeoutMs`).
 */
export function runNode(
  bin: string,
  args: readonly string[],
  env: Record<string, string>,
  options: { answers?: readonly PromptAnswer[]; timeoutMs?: number; cwd?: string } = {},
): Promise<ProcessResult> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return collect(child, options.answers ?? [], options.timeoutMs ?? 30_000);
}

function collect(
  child: ChildProcess,
  answers: readonly PromptAnswer[],
  timeoutMs: number,
): Promise<ProcessResult> {
  let stdout = "";
  let stderr = "";
  let next = 0;
  let searchFrom = 0;
  const answerPrompts = () => {
    const answer = answers[next];
    if (answer === undefined) return;
    const at = stdout.indexOf(answer.prompt, searchFrom);
    if (at === -1) return;
    searchFrom = at + answer.prompt.length;
    next += 1;
    // A moment for the prompt to start listening after it rendered.
    setTimeout(() => {
      child.stdin?.write(answer.keys);
      // The prompts hold standard input open; after the last answer the command may end.
      if (next === answers.length) child.stdin?.end();
      else answerPrompts();
    }, 150);
  };
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
    answerPrompts();
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  if (answers.length === 0) child.stdin?.end();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`timed out; stdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
