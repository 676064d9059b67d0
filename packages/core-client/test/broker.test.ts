import { describe, expect, it } from "vitest";
import {
  AgentVault,
  AgentVaultConfigurationError,
  AgentVaultValidationError,
} from "../src/index.js";
import { AGENT_KEY, CHILD_TOKEN, ORIGIN } from "./support/vault-fixtures.js";

describe("vault.broker(route)", () => {
  it("gives the route's URL below the vault's /v1 and the client's credential as a bearer header", () => {
    const vault = new AgentVault({ baseUrl: `${ORIGIN}/`, agentKey: AGENT_KEY });
    expect(vault.broker("openai")).toEqual({
      baseURL: `${ORIGIN}/v1/broker/openai`,
      headers: { authorization: `Bearer ${AGENT_KEY}` },
    });
  });

  it("carries options.token instead of the client's credential", () => {
    const vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY });
    const { headers } = vault.broker("my_api-2", { token: CHILD_TOKEN });
    expect(headers.authorization).toBe(`Bearer ${CHILD_TOKEN}`);
  });

  it.each(["", "OpenAI", "-x", "a/b", "a b", "x".repeat(64), "../admin"])(
    "refuses %j, which is not a route name, before anything is sent",
    (route) => {
      const vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY });
      expect(() => vault.broker(route)).toThrow(AgentVaultValidationError);
    },
  );

  it("accepts the longest route name (63 characters)", () => {
    const vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY });
    expect(vault.broker("x".repeat(63)).baseURL).toBe(`${ORIGIN}/v1/broker/${"x".repeat(63)}`);
  });

  it("needs a credential, and a client that is not closed", async () => {
    const bare = new AgentVault({ baseUrl: ORIGIN, env: {} });
    expect(() => bare.broker("openai")).toThrow(AgentVaultConfigurationError);
    expect(bare.broker("openai", { token: CHILD_TOKEN }).headers.authorization).toBe(
      `Bearer ${CHILD_TOKEN}`,
    );
    const vault = new AgentVault({ baseUrl: ORIGIN, agentKey: AGENT_KEY });
    await vault.close();
    expect(() => vault.broker("openai")).toThrow(/closed/);
  });
});
