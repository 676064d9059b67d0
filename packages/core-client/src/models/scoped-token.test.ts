import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ScopedToken } from "./scoped-token.js";

const TOKEN = "ast_tok_fake0000canary1f3a";

function token(): ScopedToken {
  return new ScopedToken({
    value: TOKEN,
    tokenId: "tok_1",
    scope: "secrets:read:production/openai/*",
    scopes: ["secrets:read:production/openai/*"],
    ttlSeconds: 900,
    expiresAt: new Date("2026-01-15T10:45:00.000Z"),
    description: "summariser",
    allowedIps: null,
    maxUses: 1,
    usesRemaining: 1,
    approvalStatus: "approved",
    approvalRequestId: null,
    requiresApproval: false,
  });
}

describe("ScopedToken", () => {
  it("gives the token through .value", () => {
    expect(token().value).toBe(TOKEN);
  });

  it("never prints the token in String(), JSON or util.inspect", () => {
    for (const printed of [
      String(token()),
      `${token()}`,
      JSON.stringify(token()),
      inspect(token()),
      inspect({ nested: [token()] }, { depth: 10 }),
    ]) {
      expect(printed).not.toContain(TOKEN);
      expect(printed).toContain("[REDACTED]");
    }
  });

  it("keeps the metadata readable", () => {
    const parsed = JSON.parse(JSON.stringify(token()));
    expect(parsed).toMatchObject({ tokenId: "tok_1", maxUses: 1, approvalStatus: "approved" });
    expect(Object.values({ ...token() })).not.toContain(TOKEN);
  });
});
