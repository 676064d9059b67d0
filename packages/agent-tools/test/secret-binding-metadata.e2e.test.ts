import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The metadata call_api_with_secret reads a secret's own destination binding from: a real
// vault stores allowedDestinations / approval as the client sends them and answers them back.

let vault: RunningVault;

beforeAll(async () => {
  vault = await startVault({ prefix: "ass-binding-metadata-" });
});

afterAll(async () => {
  await vault?.close();
});

describe("a secret's destination binding and approval in the client's metadata", () => {
  it("round-trips through a real server, and null clears both", async () => {
    const path = "production/example/api-key";
    const value = `sk-${"m".repeat(24)}`;
    const written = await vault.admin.setSecret(path, value, {
      allowedDestinations: [
        { origin: "https://api.example.com", pathPrefixes: ["/v1/"] },
        { origin: "https://other.example.com" },
      ],
      approval: "per_call",
    });
    expect(written.allowedDestinations).toEqual([
      { origin: "https://api.example.com", pathPrefixes: ["/v1/"] },
      { origin: "https://other.example.com", pathPrefixes: null },
    ]);
    expect(written.approval).toBe("per_call");
    const read = await vault.admin.getMetadata(path);
    expect(read.allowedDestinations).toEqual(written.allowedDestinations);
    expect(read.approval).toBe("per_call");

    const kept = await vault.admin.setSecret(path, value);
    expect(kept.allowedDestinations).toEqual(written.allowedDestinations);
    const cleared = await vault.admin.setSecret(path, value, {
      allowedDestinations: null,
      approval: null,
    });
    expect(cleared.allowedDestinations).toBeNull();
    expect(cleared.approval).toBeNull();
    expect(JSON.stringify(cleared)).not.toContain(value);
  });
});
