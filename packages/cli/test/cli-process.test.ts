import { spawn } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { startCliVault } from "./cli-vault.js";
import { spawnAss } from "./spawn-ass.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault();
});

afterAll(async () => {
  await vault.close();
});

/** Runs the real `ass` process from source with piped stdin; resolves with its exit code and output. */
async function assProcess(argv: string[], stdin = "") {
  const run = spawnAss(argv, vault.env);
  run.child.stdin.end(stdin);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

it("stores a piped value and prints it back as a real process, with exit codes", async () => {
  const set = await assProcess(["secrets", "set", "proc/value"], "value-piped-into-a-process\n");
  expect(set.code).toBe(ExitCode.OK);
  expect(set.stdout).toContain("Stored proc/value version 1");

  const get = await assProcess(["secrets", "get", "proc/value"]);
  expect(get.stdout).toBe("value-piped-into-a-process\n");

  const missing = await assProcess(["secrets", "get", "proc/missing"]);
  expect(missing.code).toBe(ExitCode.NOT_FOUND);
  expect(missing.stderr).toMatch(/^ass: .*proc\/missing/);
  expect(missing.stderr).not.toMatch(/\n\s+at /);
}, 180_000);

it("exits quietly when its reader closes the pipe early (ass … | head)", async () => {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/bin.ts", "--help"],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH },
    },
  );
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(stderr).not.toContain("EPIPE");
  expect(code).toBe(0);
}, 180_000);
