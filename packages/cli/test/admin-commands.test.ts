import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { parseDotenv } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault();
});

afterAll(async () => {
  await vault.close();
});

describe("ass agents", () => {
  it("creates an agent whose key works within its ceiling, lists it, and deleting it kills the key", async () => {
    const created = await vault.ass([
      "agents",
      "create",
      "nightly-batch",
      "--scope",
      "secrets:*:batch/*",
      "--description",
      "runs at night",
    ]);
    expect(created.code).toBe(ExitCode.OK);
    const { ASS_AGENT_KEY } = parseDotenv(created.stdout);
    expect(ASS_AGENT_KEY).toMatch(/^ass_live_/);

    const asAgent = { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY };
    expect(
      (await vault.ass(["secrets", "set", "batch/job"], { stdin: "job-value", env: asAgent })).code,
    ).toBe(ExitCode.OK);
    const outside = await vault.ass(["secrets", "set", "other/job"], { stdin: "x", env: asAgent });
    expect(outside.code).toBe(ExitCode.PERMISSION_DENIED);

    const list = await vault.ass(["--json", "agents", "list"]);
    const agents = JSON.parse(list.stdout) as { agentId: string; name: string }[];
    const agent = agents.find((entry) => entry.name === "nightly-batch");
    expect(agent).toBeDefined();
    expect(list.stdout).not.toContain(ASS_AGENT_KEY);

    expect((await vault.ass(["agents", "delete", agent!.agentId, "--yes"])).code).toBe(ExitCode.OK);
    const afterDelete = await vault.ass(["secrets", "get", "batch/job"], { env: asAgent });
    expect(afterDelete.code).toBe(ExitCode.UNAUTHORIZED);
  });

  it("needs an admin key and says so", async () => {
    const result = await vault.ass(["agents", "list"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey },
    });
    expect(result.code).toBe(ExitCode.UNAUTHORIZED);
    expect(result.stderr).toContain("ASS_ADMIN_KEY");
  });
});

describe("ass admins", () => {
  it("creates a named approver whose key is shown once", async () => {
    const created = await vault.ass(["admins", "create", "Grace"]);
    expect(created.code).toBe(ExitCode.OK);
    expect(parseDotenv(created.stdout).ASS_ADMIN_KEY).toMatch(/^ass_admin_/);
    const list = await vault.ass(["admins", "list"]);
    expect(list.stdout).toContain("Grace");
  });
});

describe("ass audit", () => {
  it("shows what happened, filtered, without values, and verifies the chain", async () => {
    await vault.ass(["secrets", "set", "audited/key"], { stdin: "audited-value" });
    await vault.ass(["secrets", "get", "audited/key"]);

    const table = await vault.ass(["audit", "--path", "audited/key"]);
    expect(table.code).toBe(ExitCode.OK);
    expect(table.stdout).toContain("secret.created");
    expect(table.stdout).toContain("secret.read");
    expect(table.stdout).not.toContain("audited-value");

    const json = await vault.ass(["--json", "audit", "--event", "secret.read", "--limit", "1"]);
    const events = JSON.parse(json.stdout) as { event: string }[];
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe("secret.read");

    const verify = await vault.ass(["audit", "verify"]);
    expect(verify.code).toBe(ExitCode.OK);
    expect(verify.stdout).toMatch(/Audit chain intact: \d+ events verified/);
  });
});

describe("ass audit checkpoint", () => {
  it("writes a signed checkpoint to a new file, verifies with it, and refuses an altered one", async () => {
    const folder = await mkdtemp(join(tmpdir(), "ass-checkpoint-"));
    try {
      const file = join(folder, "head.json");
      const written = await vault.ass(["audit", "checkpoint", "--out", file]);
      expect(written.code).toBe(ExitCode.OK);
      expect(written.stdout).toMatch(/Checkpoint of seq \d+ written to/);
      const checkpoint = JSON.parse(await readFile(file, "utf8"));
      expect(checkpoint).toMatchObject({ seq: expect.any(Number), signature: expect.any(String) });
      const again = await vault.ass(["audit", "checkpoint", "--out", file]);
      expect(again.code).not.toBe(ExitCode.OK);
      expect(again.stderr).toContain("already exists");

      await vault.ass(["secrets", "set", "checkpointed/key"], { stdin: "after-checkpoint" });
      const verify = await vault.ass(["audit", "verify", "--checkpoint", file]);
      expect(verify.code).toBe(ExitCode.OK);
      expect(verify.stdout).toMatch(/events verified, 1 checkpoints held/);

      const altered = join(folder, "altered.json");
      await writeFile(altered, JSON.stringify({ ...checkpoint, seq: checkpoint.seq + 1 }));
      const refused = await vault.ass(["audit", "verify", "--checkpoint", file, altered]);
      expect(refused.code).not.toBe(ExitCode.OK);
      expect(refused.stderr).toContain("signature");

      const notJson = join(folder, "notes.txt");
      await writeFile(notJson, "not a checkpoint");
      const unreadable = await vault.ass(["audit", "verify", "--checkpoint", notJson]);
      expect(unreadable.code).not.toBe(ExitCode.OK);
      expect(unreadable.stderr).toContain("is not JSON");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("ass audit --follow", () => {
  it("prints events that happen after it started, until stopped", async () => {
    await vault.ass(["secrets", "set", "followed/key"], { stdin: "followed-value" });
    const following = vault.assUntilStopped([
      "audit",
      "--follow",
      "--interval",
      "1",
      "--path",
      "followed/key",
    ]);
    await following.waitFor((stdout) => stdout.includes("secret.created"));

    await vault.ass(["secrets", "rotate", "followed/key"], { stdin: "followed-value-two" });
    const output = await following.waitFor((stdout) => stdout.includes("secret.rotated"));
    following.stop();
    expect(await following.exit).toBe(ExitCode.OK);
    expect(output.match(/secret\.created/g)).toHaveLength(1);
    expect(output).not.toContain("followed-value");
  });
});

describe("ass --help", () => {
  it("teaches the commands, the credentials and the exit codes", async () => {
    const help = await vault.ass(["--help"]);
    expect(help.code).toBe(ExitCode.OK);
    for (const word of [
      "server",
      "secrets",
      "tokens",
      "approvals",
      "audit",
      "agents",
      "ASS_ADMIN_KEY",
      "Exit codes",
    ]) {
      expect(help.stdout).toContain(word);
    }
  });

  it("answers an unknown command with a usage error", async () => {
    const result = await vault.ass(["secrets", "frobnicate"]);
    expect(result.code).toBe(ExitCode.USAGE);
  });
});
