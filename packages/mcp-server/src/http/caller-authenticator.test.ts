import { describe, expect, it } from "vitest";
import { bearerTokenOf, ownTokenAuthenticator } from "./caller-authenticator.js";

describe("ownTokenAuthenticator", () => {
  const authenticator = ownTokenAuthenticator(["fixture-token-one-000", "fixture-token-two-000"]);

  it("knows each configured token as its own caller, by an id that is not the token", () => {
    const one = authenticator.authenticate("fixture-token-one-000");
    const two = authenticator.authenticate("fixture-token-two-000");
    expect(one?.id).toMatch(/^caller-[0-9a-f]{16}$/);
    expect(two?.id).toMatch(/^caller-[0-9a-f]{16}$/);
    expect(one?.id).not.toBe(two?.id);
    expect(one?.id).not.toContain("fixture");
  });

  it("accepts nothing else, prefixes and longer strings included", () => {
    expect(authenticator.authenticate("fixture-token-one-00")).toBeUndefined();
    expect(authenticator.authenticate("fixture-token-one-0000")).toBeUndefined();
    expect(authenticator.authenticate("")).toBeUndefined();
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
