import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;
const asAgent = () => ({ ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey });

beforeAll(async () => {
  vault = await startCliVault();
  await vault.ass(["secrets", "set", "msg/gated", "--tier", "sensitive"], { stdin: "msg-gated-1" });
});

afterAll(async () => {
  await vault.close();
});

/** The id of the pending request for `path`, as an admin sees it. */
async function pendingFor(path: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const list = await vault.ass(["--json", "approvals", "list"]);
    const found = (JSON.parse(list.stdout) as { id: string; path: string | null }[]).find(
      (item) => item.path === path,
    );
    if (found) return found.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no pending request for ${path}`);
}

describe("error messages", () => {
  it("say what is missing in the CLI's words, with the request id once", async () => {
    const result = await vault.ass(["secrets", "get", "msg/missing"]);
    expect(result.code).toBe(ExitCode.NOT_FOUND);
    expect(result.stderr).toMatch(
      /^ass: no secret at msg\/missing \(`ass secrets list msg` shows what is there\)\. \(request id [^)]+\)\n$/,
    );
    expect(result.stderr.match(/request/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\w\(\)/);
  });

  it("tell a requester to watch its pending request, which the requester may do", async () => {
    const pending = await vault.ass(["secrets", "get", "msg/gated"], { env: asAgent() });
    expect(pending.code).toBe(ExitCode.APPROVAL_PENDING);
    const id = /ass approvals watch (\S+)`/.exec(pending.stderr)?.[1];
    expect(id).toMatch(/^apr_/);
    expect(pending.stderr).not.toContain("waitForApproval");

    const watching = vault.ass(["approvals", "watch", id!], { env: asAgent() });
    await vault.ass(["approvals", "approve", id!]);
    const watched = await watching;
    expect(watched.code, watched.stderr).toBe(ExitCode.OK);
    expect(watched.stdout).toContain(`${id}: approved.`);
  });

  it("secrets get --wait waits for the approval with progress on stderr, then prints the value", async () => {
    await vault.ass(["secrets", "set", "msg/gated-wait", "--tier", "sensitive"], {
      stdin: "msg-wait-1",
    });
    const reading = vault.ass(["secrets", "get", "msg/gated-wait", "--wait"], { env: asAgent() });
    await vault.ass(["approvals", "approve", await pendingFor("msg/gated-wait")]);
    const result = await reading;
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect(result.stdout).toBe("msg-wait-1\n");
    const id = /needs a person's approval \((apr_\w+)\); waiting/.exec(result.stderr)?.[1];
    expect(id).toBeDefined();
    expect(result.stderr).toContain(`${id}: approved.`);
  });
});

describe("rate-limit waits", () => {
  it("say how long the CLI waits before it tries again", async () => {
    const limited = await startCliVault({
      rateLimits: { perCredential: { points: 1, durationSeconds: 2 } },
    });
    try {
      await limited.ass(["secrets", "set", "rl/key"], { stdin: "rl-value" });
      const result = await limited.ass(["secrets", "get", "rl/key"]);
      expect(result.code, result.stderr).toBe(ExitCode.OK);
      expect(result.stdout).toBe("rl-value\n");
      expect(result.stderr).toMatch(
        /^ass: waiting [12] s: rate limited by the vault \(Retry-After\)$/m,
      );
      expect(result.stderr.match(/waiting/g)).toHaveLength(1);
    } finally {
      await limited.close();
    }
  }, 30_000);
});
