import { describe, expect, it } from "vitest";
import { AgentVaultConfigurationError } from "../errors.js";
import {
  DEFAULT_BASE_URL,
  isPlainHttpToRemote,
  missingAdminKeyError,
  missingCredentialError,
  resolveAdminKey,
  resolveBaseUrl,
  resolveCredential,
} from "./resolve-config.js";

describe("resolveBaseUrl", () => {
  it("defaults to the local server, never a remote host", () => {
    expect(resolveBaseUrl(undefined, {})).toBe(DEFAULT_BASE_URL);
    expect(DEFAULT_BASE_URL).toBe("http://127.0.0.1:8787/v1");
    expect(new URL(DEFAULT_BASE_URL).hostname).toBe("127.0.0.1");
  });

  it("treats an empty ASS_BASE_URL as unset, so it falls back to the local server", () => {
    expect(resolveBaseUrl(undefined, { ASS_BASE_URL: " " })).toBe("http://127.0.0.1:8787/v1");
  });

  it("reads ASS_BASE_URL, and the option wins over it", () => {
    const env = { ASS_BASE_URL: "http://127.0.0.1:9000/v1" };
    expect(resolveBaseUrl(undefined, env)).toBe("http://127.0.0.1:9000/v1");
    expect(resolveBaseUrl("http://127.0.0.1:8080/v1", env)).toBe("http://127.0.0.1:8080/v1");
  });

  it.each([
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1"],
    ["http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1"],
    ["https://vault.example.test/api//", "https://vault.example.test/api/v1"],
  ])("normalises %s to %s", (given, expected) => {
    expect(resolveBaseUrl(given, {})).toBe(expected);
  });

  it.each([
    ["not a url", "is not a URL"],
    ["ftp://127.0.0.1/v1", "https://"],
    ["http://user:pw@127.0.0.1/v1", "user name or password"],
    ["http://127.0.0.1/v1?x=1", "query or fragment"],
  ])("refuses %s with a configuration error", (given, problem) => {
    const attempt = () => resolveBaseUrl(given, {});
    expect(attempt).toThrow(AgentVaultConfigurationError);
    expect(attempt).toThrow(problem);
  });

  it("does not echo a value that is not URL-shaped", () => {
    expect(() => resolveBaseUrl("ass_live_pasted-in-wrong-place", {})).toThrow(
      /^(?!.*ass_live_pasted).*$/,
    );
  });
});

describe("resolveCredential", () => {
  it("prefers options to the environment", () => {
    expect(resolveCredential({ agentKey: "ass_live_opt" }, { ASS_TOKEN: "ast_tok_env" })).toBe(
      "ass_live_opt",
    );
  });

  it("prefers a scoped token to an agent key at each level", () => {
    expect(resolveCredential({ agentKey: "ass_live_a", token: "ast_tok_b" }, {})).toBe("ast_tok_b");
    expect(resolveCredential({}, { ASS_AGENT_KEY: "ass_live_a", ASS_TOKEN: "ast_tok_b" })).toBe(
      "ast_tok_b",
    );
  });

  it("reads ASS_AGENT_KEY and treats empty variables as unset", () => {
    expect(resolveCredential({}, { ASS_AGENT_KEY: "ass_live_a", ASS_TOKEN: "" })).toBe(
      "ass_live_a",
    );
    expect(resolveCredential({}, { ASS_AGENT_KEY: "  " })).toBeUndefined();
  });
});

describe("missingCredentialError", () => {
  it("names both options and both variables", () => {
    const error = missingCredentialError();
    expect(error).toBeInstanceOf(AgentVaultConfigurationError);
    for (const name of ["agentKey", "ASS_AGENT_KEY", "token", "ASS_TOKEN"]) {
      expect(error.message).toContain(name);
    }
  });
});

describe("resolveAdminKey", () => {
  it("prefers the option to ASS_ADMIN_KEY, and treats empty ones as unset", () => {
    const env = { ASS_ADMIN_KEY: "ass_admin_env" };
    expect(resolveAdminKey({ adminKey: "ass_admin_opt" }, env)).toBe("ass_admin_opt");
    expect(resolveAdminKey({ adminKey: "" }, env)).toBe("ass_admin_env");
    expect(resolveAdminKey({}, { ASS_ADMIN_KEY: " " })).toBeUndefined();
  });

  it("never takes an agent key or a token for an admin key", () => {
    expect(resolveAdminKey({}, { ASS_AGENT_KEY: "ass_live_a", ASS_TOKEN: "ast_tok_b" })).toBe(
      undefined,
    );
  });
});

describe("missingAdminKeyError", () => {
  it("names the option and the variable", () => {
    const error = missingAdminKeyError();
    expect(error).toBeInstanceOf(AgentVaultConfigurationError);
    expect(error.code).toBe("MISSING_CREDENTIAL");
    expect(error.message).toContain("adminKey");
    expect(error.message).toContain("ASS_ADMIN_KEY");
  });
});

describe("isPlainHttpToRemote", () => {
  it("flags http to another machine only", () => {
    expect(isPlainHttpToRemote("http://vault.example.test/v1")).toBe(true);
    expect(isPlainHttpToRemote("http://127.0.0.1:8080/v1")).toBe(false);
    expect(isPlainHttpToRemote("http://localhost:8080/v1")).toBe(false);
    expect(isPlainHttpToRemote("https://vault.example.test/v1")).toBe(false);
  });
});
