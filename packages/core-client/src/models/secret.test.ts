import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "./secret.js";

const VALUE = "canary-value-1f3a9c";

function secret(): Secret {
  return new Secret({
    path: "production/openai/api-key",
    namespace: "production/openai",
    key: "api-key",
    value: VALUE,
    version: 3,
    tier: "sensitive",
    secretType: "api_key",
    description: "OpenAI key",
    tags: { team: "ml" },
    createdAt: new Date("2026-01-15T10:30:00.000Z"),
    updatedAt: null,
    accessedAt: null,
    expiresAt: null,
    allowedDestinations: null,
    approval: null,
  });
}

describe("Secret", () => {
  it("gives the value through .value", () => {
    expect(secret().value).toBe(VALUE);
  });

  it("prints a redaction marker in String() and template strings", () => {
    expect(String(secret())).toBe("Secret(production/openai/api-key v3, value [REDACTED])");
    expect(`${secret()}`).not.toContain(VALUE);
    expect(`key: ${secret()}`).toContain("[REDACTED]");
  });

  it("redacts the value in JSON.stringify and keeps the metadata", () => {
    const parsed = JSON.parse(JSON.stringify({ secret: secret() }));
    expect(parsed.secret.value).toBe("[REDACTED]");
    expect(parsed.secret.path).toBe("production/openai/api-key");
    expect(parsed.secret.createdAt).toBe("2026-01-15T10:30:00.000Z");
    expect(JSON.stringify(secret())).not.toContain(VALUE);
  });

  it("redacts the value in util.inspect, also nested and at any depth", () => {
    expect(inspect(secret())).toContain("[REDACTED]");
    expect(inspect(secret())).not.toContain(VALUE);
    expect(inspect({ deep: { deeper: [secret()] } }, { depth: 10 })).not.toContain(VALUE);
    expect(inspect(secret(), { showHidden: true })).not.toContain(VALUE);
  });

  it("keeps the value out of spreads, Object.keys and Object.entries", () => {
    const copy = { ...secret() };
    expect(Object.values(copy)).not.toContain(VALUE);
    expect(Object.keys(secret())).not.toContain("value");
    expect(JSON.stringify(Object.entries(secret()))).not.toContain(VALUE);
  });

  it("has frozen tags", () => {
    expect(Object.isFrozen(secret().tags)).toBe(true);
  });
});
