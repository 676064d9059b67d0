import { describe, expect, it } from "vitest";
import { hasVaultCredential, vaultBaseUrlFrom } from "./vault-connection.js";

describe("vaultBaseUrlFrom", () => {
  it("takes ASS_BASE_URL first, then the hosted MCP server's ASS_API_URL", () => {
    expect(vaultBaseUrlFrom({ ASS_BASE_URL: "http://a:1/v1", ASS_API_URL: "http://b:2" })).toBe(
      "http://a:1/v1",
    );
    expect(vaultBaseUrlFrom({ ASS_API_URL: " https://vault.example.com " })).toBe(
      "https://vault.example.com",
    );
  });

  it("leaves the choice to the client when neither is set", () => {
    expect(vaultBaseUrlFrom({ ASS_BASE_URL: "", ASS_API_URL: undefined })).toBeUndefined();
  });
});

describe("hasVaultCredential", () => {
  it("accepts ASS_AGENT_KEY or ASS_TOKEN, not blanks", () => {
    expect(hasVaultCredential({ ASS_AGENT_KEY: "ass_live_x" })).toBe(true);
    expect(hasVaultCredential({ ASS_TOKEN: "ast_tok_x" })).toBe(true);
    expect(hasVaultCredential({ ASS_TOKEN: " ", ASS_AGENT_KEY: "" })).toBe(false);
  });
});
