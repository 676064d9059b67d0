import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createAgent,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

const CANARY = "canary-value-idem-3f9a";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

function post(url: string, credential: string, payload: unknown, headers: Record<string, string>) {
  return server.app.inject({
    method: "POST",
    url,
    headers: { ...bearer(credential), ...headers },
    payload: payload as Record<string, unknown>,
  });
}

async function versions(path: string): Promise<number> {
  return (await getWith(server, server.agentKey, `/v1/metadata/${path}`)).json().versions.length;
}

describe("Idempotency-Key beyond PUT", () => {
  it("rotates once for a retried rotation, and refuses the key with another body", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "app/key", { value: CANARY });
    const headers = { "idempotency-key": "rotate-1" };
    const body = { new_value: `${CANARY}-2`, grace_period_seconds: 60 };
    const first = await post("/v1/secrets/app/key/rotate", server.agentKey, body, headers);
    const retry = await post("/v1/secrets/app/key/rotate", server.agentKey, body, headers);
    expect(first.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(first.json().new_version).toBe(2);
    expect(await versions("app/key")).toBe(2);
    const other = await post(
      "/v1/secrets/app/key/rotate",
      server.agentKey,
      { new_value: `${CANARY}-3` },
      headers,
    );
    expect(other.statusCode).toBe(409);
    expect(other.body).not.toContain(CANARY);
  });

  it("rotates once for a retried legacy PATCH", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "app/key", { value: CANARY });
    const patch = () =>
      server.app.inject({
        method: "PATCH",
        url: "/v1/secrets/app/key",
        headers: { ...bearer(server.agentKey), "idempotency-key": "patch-1" },
        payload: { value: `${CANARY}-2`, grace_period_seconds: 0 },
      });
    expect((await patch()).json().version).toBe(2);
    expect((await patch()).json().version).toBe(2);
    expect(await versions("app/key")).toBe(2);
  });

  it("imports once for a retried import", async () => {
    server = await createTestServer();
    const headers = { "idempotency-key": "import-1" };
    const body = { namespace: "env/app", content: `API_KEY=${CANARY}\nOTHER=${CANARY}-b\n` };
    const first = await post("/v1/secrets/import", server.agentKey, body, headers);
    const retry = await post("/v1/secrets/import", server.agentKey, body, headers);
    expect(first.json()).toMatchObject({ imported_count: 2 });
    expect(retry.json()).toEqual(first.json());
    expect(await versions("env/app/API_KEY")).toBe(1);
  });

  it("keeps keys apart per credential", async () => {
    server = await createTestServer();
    const other = await createAgent(server, ["secrets:*:*"], "other");
    const headers = { "idempotency-key": "shared-key" };
    await putSecret(server, server.agentKey, "app/a", { value: CANARY }, { headers });
    const second = await putSecret(server, other.agentKey, "app/a", { value: CANARY }, { headers });
    expect(second.statusCode).toBe(200);
    expect(await versions("app/a")).toBe(2);
  });
});

describe("tenants", () => {
  async function otherTenant(): Promise<string> {
    const created = await server.app.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(server.adminKey),
      payload: { name: "other" },
    });
    expect(created.statusCode).toBe(201);
    return created.json().admin_key as string;
  }

  it("give a tenant admin its own agents, secrets and tokens, invisible to the first tenant", async () => {
    server = await createTestServer();
    const otherAdmin = await otherTenant();
    const agent = await server.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: bearer(otherAdmin),
      payload: { name: "their agent", allowed_scopes: ["secrets:*:team/*"] },
    });
    expect(agent.statusCode).toBe(201);
    const theirAgentKey = agent.json().api_key as string;
    const theirAgentId = agent.json().agent_id as string;
    expect((await putSecret(server, theirAgentKey, "team/key", { value: CANARY })).statusCode).toBe(
      201,
    );
    const theirToken = await requestToken(server, theirAgentKey, { scope: "secrets:read:team/*" });

    // The first tenant sees none of it, and can touch none of it.
    const ours = server.adminKey;
    expect((await getWith(server, ours, "/v1/secrets/team/key")).statusCode).toBe(404);
    expect(
      (await getWith(server, ours, "/v1/agents"))
        .json()
        .items.map((item: { id: string }) => item.id),
    ).not.toContain(theirAgentId);
    const revoke = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${theirToken.body.token_id}`,
      headers: bearer(ours),
    });
    expect(revoke.statusCode).toBe(404);
    const deleteAgent = await server.app.inject({
      method: "DELETE",
      url: `/v1/agents/${theirAgentId}`,
      headers: bearer(ours),
    });
    expect(deleteAgent.statusCode).toBe(404);
    const ourAudit = (await getWith(server, ours, "/v1/audit?limit=500")).json().items as {
      actor_id: string | null;
    }[];
    expect(ourAudit.map((event) => event.actor_id)).not.toContain(theirAgentId);

    // Their token still works in their tenant.
    expect(
      (await getWith(server, theirToken.body.token, "/v1/secrets/team/key")).json().value,
    ).toBe(CANARY);
    // And our agent key (secrets:*:*) finds nothing of theirs.
    expect((await getWith(server, server.agentKey, "/v1/secrets/team/key")).statusCode).toBe(404);
  });
});
