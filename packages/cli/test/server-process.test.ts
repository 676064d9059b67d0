import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { eventually, parseDotenv } from "./capture-io.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ass-cli-process-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

it("runs as a real process and shuts down cleanly on SIGTERM", async () => {
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
    ],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
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

  const env = await eventually(() => {
    const lines = parseDotenv(stdout);
    return lines.ASS_AGENT_KEY ? lines : undefined;
  }, 30_000);
  const health = await fetch(`${env.ASS_BASE_URL}/health`);
  expect(health.status).toBe(200);

  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(stderr).toContain("Shutting down");
  // Logs go to stderr and must never carry the printed credentials.
  expect(stderr).not.toContain(env.ASS_AGENT_KEY);
  expect(stderr).not.toContain(env.ASS_ADMIN_KEY);
}, 60_000);
