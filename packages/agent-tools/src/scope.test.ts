import { describe, expect, it } from "vitest";
import { patternCovers, scopeCovers } from "./scope.js";

describe("patternCovers", () => {
  it.each([
    ["production/openai/*", "production/openai/api-key", true],
    ["production/openai/*", "production/openai/org/key", true],
    ["production/openai/*", "production/openai", false],
    ["production/openai/*", "production/openai-evil/x", false],
    ["production/*/api-key", "production/openai/api-key", true],
    ["production/*/api-key", "production/openai/org/api-key", false],
    ["production/openai/api-key", "production/openai/api-key", true],
    ["production/openai/api-key", "production/openai/api-key/x", false],
    ["*", "anything/at/all", true],
  ])("%s covers %s: %s", (pattern, path, expected) => {
    expect(patternCovers(pattern, path)).toBe(expected);
  });
});

describe("scopeCovers", () => {
  it("matches the action, or any action for *", () => {
    expect(scopeCovers("secrets:read:a/*", "read", "a/b")).toBe(true);
    expect(scopeCovers("secrets:read:a/*", "write", "a/b")).toBe(false);
    expect(scopeCovers("secrets:*:a/*", "write", "a/b")).toBe(true);
  });

  it("rejects strings that are not scopes", () => {
    expect(scopeCovers("read:a/*", "read", "a/b")).toBe(false);
  });
});
