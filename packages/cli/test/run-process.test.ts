import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";
import { spawnAss } from "./spawn-ass.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault();
  await vault.ass(["secrets", "set", "signals/key"], { stdin: "signals-value-1" });
});

afterAll(async () => {
  await vault.close();
});

/** `ass run --path signals/key -- node -e <script>` as a real process, from source. */
function assRun(script: string) {
  const run = spawnAss(["run", "--path", "signals/key", "--", process.execPath, "-e", script], {
    ASS_BASE_URL: vault.env.ASS_BASE_URL,
    ASS_AGENT_KEY: vault.keys.agentKey,
  });
  run.child.stdin.end();
  return run;
}

it("passes SIGTERM on to the command and exits with the command's code", async () => {
  const run = assRun(
    "process.on('SIGTERM', () => { console.log('got SIGTERM with ' + process.env.KEY); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);",
  );
  await eventually(() => (run.stdout().includes("ready") ? true : undefined), 120_000);
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(42);
  expect(run.stdout()).toContain("got SIGTERM with signals-value-1");
}, 180_000);

it("exits 128 + n when signal n ends the command", async () => {
  const run = assRun("console.log('ready'); setInterval(() => {}, 1000);");
  await eventually(() => (run.stdout().includes("ready") ? true : undefined), 120_000);
  run.child.kill("SIGINT");
  expect(await run.exited).toBe(130);
}, 180_000);
