import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/exit-codes.js";
import { startCliVault } from "../cli-vault.js";

// Obviously fake values.
const CANARY = "canary-value-5e6f7a8b-cli-adversarial";

let vault: Awaited<ReturnType<typeof startCliVault>>;
beforeAll(async () => {
  vault = await startCliVault();
});
afterAll(async () => {
  await vault.close();
});

function expectClean(result: { stdout: string; stderr: string }, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout, "stdout").not.toContain(secret);
    expect(result.stderr, "stderr").not.toContain(secret);
  }
}

describe("ass never prints a value or credential it was not asked to print", () => {
  it("on failed writes: bad path, oversized value, past expiry, bad .env lines", async () => {
    const failures = [
      await vault.ass(["secrets", "set", "cli/../escape"], { stdin: CANARY }),
      await vault.ass(["secrets", "set", "cli/adv/huge"], {
        stdin: `${CANARY}${"x".repeat(70 * 1024)}`,
      }),
      await vault.ass(["secrets", "set", "cli/adv/past", "--expires-at", "2001-01-01T00:00:00Z"], {
        stdin: CANARY,
      }),
      await vault.ass(["secrets", "rotate", "cli/adv/missing"], { stdin: CANARY }),
      await vault.ass(["secrets", "import", "cli/adv"], {
        stdin: `GOOD=${CANARY}\nBAD LINE ${CANARY}\nQUOTED="${CANARY}\n`,
      }),
      await vault.ass(["--json", "secrets", "set", "cli/adv/json", "--if-version", "3"], {
        stdin: CANARY,
      }),
    ];
    for (const result of failures) {
      expect(result.code).not.toBe(ExitCode.OK);
      expectClean(result, [CANARY]);
    }
  });

  it("on success, except where the value was asked for", async () => {
    const set = await vault.ass(["--json", "secrets", "set", "cli/adv/ok"], { stdin: CANARY });
    expect(set.code).toBe(ExitCode.OK);
    expectClean(set, [CANARY]);
    const list = await vault.ass(["--json", "secrets", "list", "cli/adv"]);
    expectClean(list, [CANARY]);
    const metadata = await vault.ass(["secrets", "get", "cli/adv/ok", "--metadata"]);
    expectClean(metadata, [CANARY]);
    expect((await vault.ass(["secrets", "get", "cli/adv/ok"])).stdout).toBe(`${CANARY}\n`);
  });

  it("with an unknown or malformed key in the environment", async () => {
    const unknown = `ass_live_${"Q".repeat(43)}`;
    for (const env of [
      { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: unknown },
      { ASS_ADMIN_KEY: `ass_admin_${"Z".repeat(43)}` },
      { ASS_ADMIN_KEY: undefined, ASS_TOKEN: `ast_tok_${CANARY}` },
    ]) {
      const result = await vault.ass(["secrets", "list"], { env });
      expect(result.code).toBe(ExitCode.UNAUTHORIZED);
      expectClean(result, [unknown, "Z".repeat(43), CANARY]);
    }
  });

  it("when a token is revoked by its value instead of its id", async () => {
    const mint = async () => {
      const requested = await vault.ass([
        "--json",
        "tokens",
        "request",
        "--scope",
        "secrets:read:cli/adv/*",
      ]);
      expect(requested.code).toBe(ExitCode.OK);
      const value = (JSON.parse(requested.stdout) as { value: string }).value;
      expect(value).toMatch(/^ast_tok_/);
      return value;
    };
    for (const json of [false, true]) {
      const token = await mint();
      const result = await vault.ass([...(json ? ["--json"] : []), "tokens", "revoke", token]);
      expect(result.code).toBe(ExitCode.OK);
      expectClean(result, [token]);
      const inspect = await vault.ass(["tokens", "inspect"], {
        stdin: token,
        env: { ASS_ADMIN_KEY: undefined },
      });
      expect(inspect.code).toBe(ExitCode.UNAUTHORIZED);
      expectClean(inspect, [token]);
    }
  });
});
