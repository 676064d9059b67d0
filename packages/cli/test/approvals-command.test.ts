import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { parseDotenv } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault({ criticalDelaySeconds: 0 });
  await vault.ass(["secrets", "set", "gated/sensitive", "--tier", "sensitive"], {
    stdin: "sensitive-value",
  });
  await vault.ass(["secrets", "set", "gated/critical", "--tier", "critical"], {
    stdin: "critical-value",
  });
});

afterAll(async () => {
  await vault.close();
});

/** Requests a token as the agent (so an admin can approve it) and returns its value and request id. */
async function pendingToken(scope: string) {
  const request = await vault.ass(["--json", "tokens", "request", "--scope", scope], {
    env: { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey },
  });
  expect(request.code).toBe(ExitCode.OK);
  const token = JSON.parse(request.stdout) as {
    value: string;
    approvalRequestId: string;
    approvalStatus: string;
  };
  expect(token.approvalStatus).toBe("pending");
  return token;
}

describe("ass approvals", () => {
  it("lists a pending request, approves it, and the same token then reads", async () => {
    const token = await pendingToken("secrets:read:gated/sensitive");
    const asToken = { ASS_ADMIN_KEY: undefined, ASS_TOKEN: token.value };

    const before = await vault.ass(["secrets", "get", "gated/sensitive"], { env: asToken });
    expect(before.code).toBe(ExitCode.APPROVAL_PENDING);
    expect(before.stderr).toContain(`ass approvals watch ${token.approvalRequestId}`);

    const list = await vault.ass(["approvals", "list"]);
    expect(list.stdout).toContain(token.approvalRequestId);

    const approve = await vault.ass([
      "approvals",
      "approve",
      token.approvalRequestId,
      "--comment",
      "ok",
    ]);
    expect(approve.code).toBe(ExitCode.OK);
    expect(approve.stdout).toContain("approved");

    const after = await vault.ass(["secrets", "get", "gated/sensitive"], { env: asToken });
    expect(after.stdout).toBe("sensitive-value\n");
  });

  it("needs two different admins for a critical request", async () => {
    // The second approver exists before the request: an admin made after it cannot approve it.
    const second = await vault.ass(["admins", "create", "Second approver"]);
    const secondKey = parseDotenv(second.stdout).ASS_ADMIN_KEY;
    const token = await pendingToken("secrets:read:gated/critical");
    const first = await vault.ass(["approvals", "approve", token.approvalRequestId]);
    expect(first.stdout).toContain("1 of 2 approvals");

    const again = await vault.ass(["approvals", "approve", token.approvalRequestId]);
    expect(again.code).not.toBe(ExitCode.OK);

    const approve = await vault.ass(["approvals", "approve", token.approvalRequestId], {
      env: { ASS_ADMIN_KEY: secondKey },
    });
    expect(approve.code).toBe(ExitCode.OK);

    const show = await vault.ass(["--json", "approvals", "show", token.approvalRequestId]);
    expect((JSON.parse(show.stdout) as { status: string }).status).toBe("approved");
    const read = await vault.ass(["secrets", "get", "gated/critical"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_TOKEN: token.value },
    });
    expect(read.stdout).toBe("critical-value\n");
  });

  it("denies a request, after which the token is refused", async () => {
    const token = await pendingToken("secrets:read:gated/sensitive");
    const deny = await vault.ass([
      "approvals",
      "deny",
      token.approvalRequestId,
      "--comment",
      "not today",
    ]);
    expect(deny.code).toBe(ExitCode.OK);
    expect(deny.stdout).toContain("denied");
    const read = await vault.ass(["secrets", "get", "gated/sensitive"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_TOKEN: token.value },
    });
    expect(read.code).toBe(ExitCode.PERMISSION_DENIED);
  });

  it("watches one request until it is decided", async () => {
    const token = await pendingToken("secrets:read:gated/sensitive");
    const watching = vault.ass(["approvals", "watch", token.approvalRequestId]);
    await vault.ass(["approvals", "cancel", token.approvalRequestId]);
    const watched = await watching;
    expect(watched.code).toBe(ExitCode.OK);
    expect(watched.stdout).toContain("cancelled");
  });
});
