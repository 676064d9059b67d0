import { describe, expect, it } from "vitest";
import { anyAuthenticator, bearerTokenOf, ownTokenAuthenticator } from "./caller-authenticator.js";

describe("ownTokenAuthenticator", () => {
  const authenticator = ownTokenAuthenticator(["fixture-token-one-000", "fixture-token-two-000"]);

  it("knows each configured token as its own caller, by an id that is not the token", async () => {
    const one = await authenticator.authenticate("fixture-token-one-000");
    const two = await authenticator.authenticate("fixture-token-two-000");
    expect(one?.id).toMatch(/^caller-[0-9a-f]{16}$/);
    expect(two?.id).toMatch(/^caller-[0-9a-f]{16}$/);
    expect(one?.id).not.toBe(two?.id);
    expect(one?.id).not.toContain("fixture");
  });

  it("accepts nothing else, prefixes and longer strings included", async () => {
    expect(await authenticator.authenticate("fixture-token-one-00")).toBeUndefined();
    expect(await authenticator.authenticate("fixture-token-one-0000")).toBeUndefined();
    expect(await authenticator.authenticate("")).toBeUndefined();
  });
});

describe("anyAuthenticator", () => {
  it("lets the first authenticator that accepts decide", async () => {
    const either = anyAuthenticator([
      ownTokenAuthenticator(["fixture-token-one-000"]),
      { authenticate: async (token) => (token === "other" ? { id: "other-caller" } : undefined) },
    ]);
    expect((await either.authenticate("other"))?.id).toBe("other-caller");
    expect((await either.authenticate("fixture-token-one-000"))?.id).toMatch(/^caller-/);
    expect(await either.authenticate("nobody")).toBeUndefined();
  });
});

describe("bearerTokenOf", () => {
  it("reads an Authorization: Bearer header, in any case", () => {
    expect(bearerTokenOf("Bearer abc.def")).toBe("abc.def");
    expect(bearerTokenOf("bearer abc")).toBe("abc");
  });

  it("ignores other schemes and malformed headers", () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerTokenOf("Bearer")).toBeUndefined();
    expect(bearerTokenOf("Bearer a b")).toBeUndefined();
  });
});
