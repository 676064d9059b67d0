import { describe, expect, it } from "vitest";
import { AgentVaultValidationError } from "../errors.js";
import { encodeIdSegment, encodeSecretPath } from "./url-path.js";

describe("encodeSecretPath", () => {
  it("keeps slashes between segments", () => {
    expect(encodeSecretPath("production/openai/api-key")).toBe("production/openai/api-key");
  });

  it("percent-encodes everything inside a segment", () => {
    expect(encodeSecretPath("prod/a b/c?d#e%f")).toBe("prod/a%20b/c%3Fd%23e%25f");
    expect(encodeSecretPath("prod/ünï")).toBe("prod/%C3%BCn%C3%AF");
  });

  it.each([
    ["", "is empty"],
    ["/leading", "empty segment"],
    ["trailing/", "empty segment"],
    ["a//b", "empty segment"],
    ["a/../b", "'..' segment"],
    ["a/./b", "'.' segment"],
    ["..", "'..' segment"],
  ])("refuses %j instead of letting URL parsing normalise it", (path, problem) => {
    const attempt = () => encodeSecretPath(path);
    expect(attempt).toThrow(AgentVaultValidationError);
    expect(attempt).toThrow(problem);
  });
});

describe("encodeIdSegment", () => {
  it("encodes an id as one segment", () => {
    expect(encodeIdSegment("tok/1?x", "tokenId")).toBe("tok%2F1%3Fx");
  });

  it("refuses ids URL parsing would resolve away", () => {
    expect(() => encodeIdSegment("..", "tokenId")).toThrow(AgentVaultValidationError);
    expect(() => encodeIdSegment("", "tokenId")).toThrow(/tokenId/);
  });
});
