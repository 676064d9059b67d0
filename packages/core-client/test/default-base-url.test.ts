import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { VaultAdmin } from "../src/admin/index.js";
import { AgentVault, AgentVaultError, type FetchLike } from "../src/index.js";
import { ADMIN_KEY, AGENT_KEY, CHILD_TOKEN } from "./support/vault-fixtures.js";

// Issue: no default may send a credential to a host the user did not name. Without `baseUrl`
// and `ASS_BASE_URL`, every request (and so every credential) goes to this machine only.
const LOCAL_ORIGIN = "http://127.0.0.1:8787";

type Sent = { url: string; authorization: string | null };

/** A fetch that records where each request was going and answers 401 without any network. */
function recordingFetch(sent: Sent[]): FetchLike {
  return async (url, init) => {
    sent.push({ url, authorization: new Headers(init.headers).get("authorization") });
    const body = { error: { code: "UNAUTHORIZED", message: "unknown credential" } };
    return new Response(JSON.stringify(body), {
      status: 401,
      headers: { "content-type": "application/json" },
    });
  };
}

async function settle(call: PromiseLike<unknown>): Promise<void> {
  await Promise.resolve(call).then(
    () => undefined,
    (error: unknown) => expect(error).toBeInstanceOf(AgentVaultError),
  );
}

describe("with no baseUrl and no ASS_BASE_URL", () => {
  it("sends an agent key to the local server only, for every kind of call", async () => {
    const sent: Sent[] = [];
    const vault = new AgentVault({ agentKey: AGENT_KEY, env: {}, fetch: recordingFetch(sent) });
    expect(vault.baseUrl).toBe(`${LOCAL_ORIGIN}/v1`);
    await settle(vault.setSecret("a/b", "not-a-real-value"));
    await settle(vault.getSecret("a/b"));
    await settle(vault.listSecrets("a"));
    await settle(vault.requestToken({ scope: "secrets:read:a/*", ttlSeconds: 60 }));
    await settle(vault.revokeToken("tok_1"));
    await settle(vault.rotateSecret("a/b", "not-a-real-value-2"));
    await settle(vault.deleteSecret("a/b"));
    expect(sent).toHaveLength(7);
    for (const request of sent) {
      expect(new URL(request.url).origin).toBe(LOCAL_ORIGIN);
      expect(request.authorization).toBe(`Bearer ${AGENT_KEY}`);
    }
  });

  it("sends a scoped token from ASS_TOKEN to the local server only", async () => {
    const sent: Sent[] = [];
    const vault = new AgentVault({ env: { ASS_TOKEN: CHILD_TOKEN }, fetch: recordingFetch(sent) });
    await settle(vault.getSecret("a/b"));
    expect(sent.map((request) => new URL(request.url).origin)).toEqual([LOCAL_ORIGIN]);
    expect(sent[0]?.authorization).toBe(`Bearer ${CHILD_TOKEN}`);
  });

  it("sends an admin key to the local server only", async () => {
    const sent: Sent[] = [];
    const admin = new VaultAdmin({ adminKey: ADMIN_KEY, env: {}, fetch: recordingFetch(sent) });
    await settle(admin.listApprovals());
    await settle(admin.listAgents());
    expect(sent.map((request) => new URL(request.url).origin)).toEqual([
      LOCAL_ORIGIN,
      LOCAL_ORIGIN,
    ]);
  });

  it("goes elsewhere only when the user names the address", async () => {
    const sent: Sent[] = [];
    const named = "https://vault.example.test";
    const fromOption = new AgentVault({
      agentKey: AGENT_KEY,
      baseUrl: named,
      env: {},
      fetch: recordingFetch(sent),
    });
    const fromEnvironment = new AgentVault({
      agentKey: AGENT_KEY,
      env: { ASS_BASE_URL: named },
      fetch: recordingFetch(sent),
    });
    await settle(fromOption.getSecret("a/b"));
    await settle(fromEnvironment.getSecret("a/b"));
    expect(sent.map((request) => new URL(request.url).origin)).toEqual([named, named]);
  });
});

describe("with no baseUrl, over the real fetch and a real socket", () => {
  const seen: string[] = [];
  // Node's fetch (undici) reports every request it makes on this channel, whether or not
  // anything listens on the port, so the destination is observed without owning port 8787.
  const onRequest = (message: unknown) => {
    seen.push((message as { request: { origin: string } }).request.origin);
  };

  afterEach(() => {
    diagnosticsChannel.unsubscribe("undici:request:create", onRequest);
  });

  it("sends its requests to 127.0.0.1:8787 and nowhere else", async () => {
    diagnosticsChannel.subscribe("undici:request:create", onRequest);
    const vault = new AgentVault({ agentKey: AGENT_KEY, env: {}, retries: 0, timeout: 2_000 });
    // Whatever is on the port (nothing, or another test's server) answers or refuses: either
    // way the call settles with a typed error or a result, and the destination is recorded.
    await vault.getSecret("a/b").catch((error: unknown) => {
      expect(error).toBeInstanceOf(AgentVaultError);
    });
    await vault.close();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([LOCAL_ORIGIN]));
  });
});
