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

/** The second admin's key (Grace, made by the first test below): approves what needs a second. */
let graceKey = "";

/**
 * `ass admins create <name>` from two admins on: pending until Grace approves, then the same
 * command again. Returns the last result.
 */
async function createApprovedAdmin(name: string, json = false) {
  const args = [...(json ? ["--json"] : []), "admins", "create", name];
  const pending = await vault.ass(args);
  expect(pending.code, pending.stderr).toBe(ExitCode.APPROVAL_PENDING);
  const approvalId = /request (apr_[0-9a-f]+)/.exec(pending.stderr)?.[1] ?? "";
  const approved = await vault.ass(["approvals", "approve", approvalId], {
    env: { ASS_ADMIN_KEY: graceKey },
  });
  expect(approved.code, approved.stderr).toBe(ExitCode.OK);
  return vault.ass(args);
}

describe("ass admins", () => {
  it("creates a named approver whose key is shown once", async () => {
    const created = await vault.ass(["admins", "create", "Grace"]);
    expect(created.code).toBe(ExitCode.OK);
    graceKey = parseDotenv(created.stdout).ASS_ADMIN_KEY ?? "";
    expect(graceKey).toMatch(/^ass_admin_/);
    const list = await vault.ass(["admins", "list"]);
    expect(list.stdout).toContain("Grace");
  });

  it("says a third admin awaits a second admin's approval, with the request id, and creates it once approved", async () => {
    const pending = await vault.ass(["admins", "create", "Hopper"]);
    expect(pending.code).toBe(ExitCode.APPROVAL_PENDING);
    expect(pending.stdout).not.toContain("ASS_ADMIN_KEY");
    expect(pending.stderr).toContain("awaits a second admin's approval: request apr_");
    expect(pending.stderr).toContain("ass admins create <name>");
    const created = await createApprovedAdmin("Hopper");
    expect(created.code).toBe(ExitCode.OK);
    expect(parseDotenv(created.stdout).ASS_ADMIN_KEY).toMatch(/^ass_admin_/);
  });
});

describe("ass agents rotate-key, ass admins rotate-key and make-operator", () => {
  it("print a new key once, after which only it works, and hand the operator role on and back", async () => {
    const agent = await vault.ass(["agents", "create", "rotating", "--scope", "secrets:*:rot/*"]);
    const oldAgentKey = parseDotenv(agent.stdout).ASS_AGENT_KEY!;
    const agents = JSON.parse((await vault.ass(["--json", "agents", "list"])).stdout) as {
      agentId: string;
      name: string;
    }[];
    const agentId = agents.find((entry) => entry.name === "rotating")!.agentId;
    const rotated = await vault.ass(["agents", "rotate-key", agentId]);
    expect(rotated.code).toBe(ExitCode.OK);
    const newAgentKey = parseDotenv(rotated.stdout).ASS_AGENT_KEY!;
    expect(newAgentKey).toMatch(/^ass_live_/);
    expect(rotated.stderr).toContain("the old one no longer works");
    const asAgent = (key: string) => ({ ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: key });
    const set = await vault.ass(["secrets", "set", "rot/a"], {
      stdin: "v",
      env: asAgent(newAgentKey),
    });
    expect(set.code).toBe(ExitCode.OK);
    const old = await vault.ass(["secrets", "get", "rot/a"], { env: asAgent(oldAgentKey) });
    expect(old.code).toBe(ExitCode.UNAUTHORIZED);

    const admin = await createApprovedAdmin("Rotator", true);
    const created = JSON.parse(admin.stdout) as { adminId: string; apiKey: string };
    const asAdmin = (key: string) => ({ ASS_ADMIN_KEY: key });
    const own = await vault.ass(["admins", "rotate-key", created.adminId], {
      env: asAdmin(created.apiKey),
    });
    expect(own.code).toBe(ExitCode.OK);
    const newAdminKey = parseDotenv(own.stdout).ASS_ADMIN_KEY!;
    expect((await vault.ass(["admins", "list"], { env: asAdmin(created.apiKey) })).code).toBe(
      ExitCode.UNAUTHORIZED,
    );
    expect((await vault.ass(["admins", "list"], { env: asAdmin(newAdminKey) })).code).toBe(
      ExitCode.OK,
    );

    const operatorId = JSON.parse((await vault.ass(["--json", "whoami"])).stdout).id as string;
    expect((await vault.ass(["admins", "make-operator", created.adminId, "--yes"])).code).toBe(
      ExitCode.OK,
    );
    const list = JSON.parse(
      (await vault.ass(["--json", "admins", "list"], { env: asAdmin(newAdminKey) })).stdout,
    ) as { adminId: string; isOperator: boolean }[];
    expect(list.find((entry) => entry.isOperator)?.adminId).toBe(created.adminId);
    // And back, so the other tests keep their operator.
    const back = await vault.ass(["admins", "make-operator", operatorId, "--yes"], {
      env: asAdmin(newAdminKey),
    });
    expect(back.code).toBe(ExitCode.OK);
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
