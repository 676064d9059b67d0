// Vault servers in processes of their own (test/fixtures/start-server.ts), for tests that kill
// one or run several against one database.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { StartServerOptions } from "../../src/start-server.js";

export type ServerProcess = {
  child: ChildProcess;
  baseUrl: string;
  /** The first start's keys; null on a start that found them made. */
  adminKey: string | null;
  agentKey: string | null;
  /** SIGTERM, then waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
};

const packageRoot = join(import.meta.dirname, "..", "..");

/**
 * Starts `start-server.ts` with `dataDir` and the JSON-safe `options` (passed in the child's
 * environment, never on its command line) and resolves once it listens.
 */
export async function startServerProcess(
  dataDir: string,
  options: Partial<StartServerOptions> = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "test/fixtures/start-server.ts", dataDir],
    {
      cwd: packageRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ASS_TEST_SERVER_OPTIONS: JSON.stringify(options) },
    },
  );
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += String(chunk);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, "exit").then(() => {
    throw new Error(`server process exited before listening: ${errors}`);
  });
  try {
    const [line] = (await Promise.race([once(lines, "line"), exited])) as [string];
    const started = JSON.parse(line) as Pick<ServerProcess, "baseUrl" | "adminKey" | "agentKey">;
    return {
      child,
      ...started,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        const exit = once(child, "exit");
        child.kill("SIGTERM");
        await exit;
        return child.exitCode;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** `fetch` with a bearer credential and a JSON body; resolves to the status and parsed body. */
export async function callJson(
  method: string,
  url: string,
  credential: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** The value of one sample in Prometheus text (`name{labels} value`), summed over matches. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}) {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) =>
      line.includes(`${key}="${value}"`),
    );
    if (matches) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}
