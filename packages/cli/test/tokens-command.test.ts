import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { parseDotenv } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault();
  await vault.ass(["secrets", "set", "cli/token-target"], { stdin: "token-target-value" });
});

afterAll(async () => {
  await vault.close();
});

describe("ass tokens", () => {
  it("requests a token whose ASS_TOKEN line reads the secret, inspects and revokes it", async () => {
    const request = await vault.ass([
      "tokens",
      "request",
      "--scope",
      "secrets:read:cli/*",
      "--ttl",
      "600",
      "--max-uses",
      "5",
    ]);
    expect(request.code).toBe(ExitCode.OK);
    const { ASS_TOKEN } = parseDotenv(request.stdout);
    expect(ASS_TOKEN).toMatch(/^ast_tok_/);
    expect(request.stderr).toContain("secrets:read:cli/*");

    const asToken = { ASS_ADMIN_KEY: undefined, ASS_TOKEN };
    const read = await vault.ass(["secrets", "get", "cli/token-target"], { env: asToken });
    expect(read.stdout).toBe("token-target-value\n");

    const inspect = await vault.ass(["--json", "tokens", "inspect"], { env: { ASS_TOKEN } });
    expect(inspect.code).toBe(ExitCode.OK);
    const info = JSON.parse(inspect.stdout) as { tokenId: string; usesRemaining: number };
    expect(info.usesRemaining).toBe(4);
    expect(inspect.stdout).not.toContain(ASS_TOKEN);

    const revoke = await vault.ass(["tokens", "revoke", info.tokenId]);
    expect(revoke.code).toBe(ExitCode.OK);
    const refused = await vault.ass(["secrets", "get", "cli/token-target"], { env: asToken });
    expect(refused.code).toBe(ExitCode.UNAUTHORIZED);
  });

  it("refuses a malformed scope with a usage error", async () => {
    const result = await vault.ass(["tokens", "request", "--scope", "secrets:read:prod*"]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toMatch(/scope|\*/);
  });

  it("requires --scope", async () => {
    const result = await vault.ass(["tokens", "request"]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain("--scope");
  });
});
