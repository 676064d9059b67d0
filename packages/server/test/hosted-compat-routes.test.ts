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

// The routes and forms added for the hosted product's clients (docs/protocol.md): the
// namespaces:read scope and GET /v1/namespaces, the hosted scope names, audit paging by page,
// GET /v1/approvals/agent/{id}. test/hosted-clients/ drives the clients themselves.

const VALUE = "fixture-compat-routes-value-6d1a";
let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

async function seed(current: TestServer): Promise<void> {
  for (const path of ["production/openai/api-key", "production/db/password", "staging/flag"]) {
    await putSecret(current, current.adminKey, path, { value: VALUE });
  }
}

describe("GET /v1/namespaces", () => {
  it("lists every namespace name with its ancestors for namespaces:read, never a value", async () => {
    server = await createTestServer();
    await seed(server);
    const token = await requestToken(server, server.agentKey, { scopes: ["namespaces:read"] });
    expect(token.statusCode).toBe(201);
    const listed = await getWith(server, token.body.token, "/v1/namespaces");
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      namespaces: ["production", "production/db", "production/openai", "staging"],
    });
    expect(listed.body).not.toContain(VALUE);
    expect(listed.body).not.toContain("api-key");
    // The token reads no secret.
    expect((await getWith(server, token.body.token, "/v1/secrets/staging/flag")).statusCode).toBe(
      403,
    );
  });

  it("is refused to scopes that neither hold it nor read everything", async () => {
    server = await createTestServer();
    await seed(server);
    const narrow = await requestToken(server, server.agentKey, {
      scopes: ["secrets:read:production/*"],
    });
    const refused = await getWith(server, narrow.body.token, "/v1/namespaces");
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: "SCOPE_DENIED", required_scope: "namespaces:read" },
    });
    const everything = await requestToken(server, server.agentKey, { scopes: ["secrets:read:*"] });
    expect((await getWith(server, everything.body.token, "/v1/namespaces")).statusCode).toBe(200);
    expect((await getWith(server, server.adminKey, "/v1/namespaces")).statusCode).toBe(200);
  });

  it("cannot be minted past an agent's narrower ceiling, unless the admin granted it", async () => {
    server = await createTestServer();
    const narrow = await createAgent(server, ["secrets:read:production/*"]);
    const minted = await requestToken(server, narrow.agentKey, { scopes: ["namespaces:read"] });
    expect(minted.statusCode).toBe(403);
    expect((await getWith(server, narrow.agentKey, "/v1/namespaces")).statusCode).toBe(403);
    const granted = await createAgent(
      server,
      ["secrets:read:production/*", "namespaces:read"],
      "lister",
    );
    expect((await getWith(server, granted.agentKey, "/v1/namespaces")).statusCode).toBe(200);
  });
});

describe("the hosted scope names", () => {
  it("become this grammar in a token request", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, { scopes: ["read:secrets"] });
    expect(token.body).toMatchObject({ scopes: ["secrets:read:*"] });
  });

  it("apply below an agent's allowed_namespaces", async () => {
    server = await createTestServer();
    const created = await server.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: bearer(server.adminKey),
      payload: {
        name: "hosted-style",
        allowed_namespaces: ["production", "staging/eu"],
        allowed_scopes: ["read:secrets", "rotate:secrets", "secrets:delete:tmp/*"],
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().allowed_scopes).toEqual([
      "secrets:read:production/*",
      "secrets:read:staging/eu/*",
      "secrets:write:production/*",
      "secrets:write:staging/eu/*",
      "secrets:delete:tmp/*",
    ]);
  });

  it("say why manage:agents and a bad namespace are refused", async () => {
    server = await createTestServer();
    const refused = await server.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: bearer(server.adminKey),
      payload: {
        name: "x",
        allowed_namespaces: ["ok", "../up"],
        allowed_scopes: ["manage:agents"],
      },
    });
    expect(refused.statusCode).toBe(400);
    const fields = refused.json().error.issues.map((issue: { field: string }) => issue.field);
    expect(fields).toEqual(["allowed_namespaces.1", "allowed_scopes.0"]);
    expect(refused.json().error.issues[1].message).toContain("admin keys manage agents");
  });
});

describe("GET /v1/audit?page=N", () => {
  it("pages newest first with the total, and refuses page with cursor", async () => {
    server = await createTestServer();
    await seed(server);
    const first = await getWith(server, server.adminKey, "/v1/audit?page=1&limit=2");
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ page: 1, limit: 2, next_cursor: null });
    const all = (await getWith(server, server.adminKey, "/v1/audit")).json().items as {
      id: string;
    }[];
    expect(body.total).toBe(all.length);
    expect(body.events.map((event: { id: string }) => event.id)).toEqual(
      all
        .slice(-2)
        .reverse()
        .map((event) => event.id),
    );
    expect(body.events[0]).toMatchObject({
      event_type: "secret.created",
      resource_type: "secret",
      resource_id: "staging/flag",
    });
    const second = (await getWith(server, server.adminKey, "/v1/audit?page=2&limit=2")).json();
    expect(second.events[0].id).toBe(all[all.length - 3]?.id);
    const both = await getWith(server, server.adminKey, "/v1/audit?page=1&cursor=1");
    expect(both.statusCode).toBe(400);
    expect(both.json().detail).toContain("page or cursor");
  });
});

describe("GET /v1/approvals/agent/{id}", () => {
  it("shows the requester its own request, and nobody else's", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "s/k", { value: VALUE, tier: "sensitive" });
    const pending = await getWith(server, server.agentKey, "/v1/secrets/s/k");
    const id = pending.json().error.approval_request_id as string;
    const own = await getWith(server, server.agentKey, `/v1/approvals/agent/${id}`);
    expect(own.json()).toMatchObject({ id, status: "pending", access_tier: "sensitive" });
    const other = await createAgent(server, ["secrets:read:*"], "other");
    expect((await getWith(server, other.agentKey, `/v1/approvals/agent/${id}`)).statusCode).toBe(
      404,
    );
  });
});
