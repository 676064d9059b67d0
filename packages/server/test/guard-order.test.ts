import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createTestServer, requestToken, type TestServer } from "./helpers/test-server.js";

// The guard's order on every route of the API: scope, then approval, then tier, then one token
// use, then the audit event (docs/architecture.md). Every operation of the served OpenAPI
// document must be in one of the tables below, so that a new route cannot skip the question.

type Call = { method: string; url: string; payload?: Record<string, unknown> };

/** Secret routes: the action they need and a call on a path below `ns`. */
const SECRET_ROUTES: Record<
  string,
  { action: "read" | "write" | "delete" | "use"; call(ns: string): Call }
> = {
  "GET /v1/secrets": {
    action: "read",
    call: (ns) => ({ method: "GET", url: `/v1/secrets?namespace=${ns}` }),
  },
  "POST /v1/secrets": {
    action: "write",
    call: (ns) => ({
      method: "POST",
      url: "/v1/secrets",
      payload: { path: `${ns}/new`, value: "order-fixture" },
    }),
  },
  "GET /v1/secrets/{path}": {
    action: "read",
    call: (ns) => ({ method: "GET", url: `/v1/secrets/${ns}/key` }),
  },
  "PUT /v1/secrets/{path}": {
    action: "write",
    call: (ns) => ({
      method: "PUT",
      url: `/v1/secrets/${ns}/key`,
      payload: { value: "order-fixture" },
    }),
  },
  "DELETE /v1/secrets/{path}": {
    action: "delete",
    call: (ns) => ({ method: "DELETE", url: `/v1/secrets/${ns}/key` }),
  },
  "PATCH /v1/secrets/{path}": {
    action: "write",
    call: (ns) => ({
      method: "PATCH",
      url: `/v1/secrets/${ns}/key`,
      payload: { value: "order-fixture" },
    }),
  },
  "GET /v1/metadata/{path}": {
    action: "read",
    call: (ns) => ({ method: "GET", url: `/v1/metadata/${ns}/key` }),
  },
  "POST /v1/secrets/{path}/rotate": {
    action: "write",
    call: (ns) => ({
      method: "POST",
      url: `/v1/secrets/${ns}/key/rotate`,
      payload: { new_value: "order-fixture" },
    }),
  },
  "POST /v1/secrets/import": {
    action: "write",
    call: (ns) => ({
      method: "POST",
      url: "/v1/secrets/import",
      payload: { namespace: ns, content: "A=order-fixture\n" },
    }),
  },
  // The broker's routes are named after the namespace whose `key` they inject (see beforeAll).
  ...Object.fromEntries(
    ["GET", "POST", "PUT", "PATCH", "DELETE"].map((method) => [
      `${method} /v1/broker/{route}/{path}`,
      {
        action: "use" as const,
        call: (ns: string): Call => ({ method, url: `/v1/broker/${ns}/v1/order` }),
      },
    ]),
  ),
};

/**
 * Admin-only routes (creating a tenant and handing the operator role on: the operator's key
 * only): any other credential is refused, and the refusal audited, before anything else.
 */
const ADMIN_ROUTES: Record<string, Call> = {
  "POST /v1/approvals/{id}/approve": {
    method: "POST",
    url: "/v1/approvals/apr_unknown/approve",
    payload: {},
  },
  "POST /v1/approvals/{id}/deny": {
    method: "POST",
    url: "/v1/approvals/apr_unknown/deny",
    payload: {},
  },
  "GET /v1/audit": { method: "GET", url: "/v1/audit" },
  "GET /v1/audit/verify": { method: "GET", url: "/v1/audit/verify" },
  "POST /v1/audit/verify": {
    method: "POST",
    url: "/v1/audit/verify",
    payload: { checkpoints: [] },
  },
  "GET /v1/audit/checkpoint": { method: "GET", url: "/v1/audit/checkpoint" },
  "POST /v1/agents": {
    method: "POST",
    url: "/v1/agents",
    payload: { name: "x", allowed_scopes: ["secrets:read:*"] },
  },
  "GET /v1/agents": { method: "GET", url: "/v1/agents" },
  "DELETE /v1/agents/{id}": { method: "DELETE", url: "/v1/agents/agt_unknown" },
  "POST /v1/admins": { method: "POST", url: "/v1/admins", payload: { name: "x" } },
  "GET /v1/admins": { method: "GET", url: "/v1/admins" },
  "DELETE /v1/admins/{id}": { method: "DELETE", url: "/v1/admins/adm_unknown" },
  "POST /v1/agents/{id}/rotate-key": {
    method: "POST",
    url: "/v1/agents/agt_unknown/rotate-key",
    payload: {},
  },
  "POST /v1/admins/{id}/rotate-key": {
    method: "POST",
    url: "/v1/admins/adm_unknown/rotate-key",
    payload: {},
  },
  "POST /v1/admins/{id}/make-operator": {
    method: "POST",
    url: "/v1/admins/adm_unknown/make-operator",
  },
  "POST /v1/tenants": { method: "POST", url: "/v1/tenants", payload: { name: "x" } },
  "PUT /v1/webhook": {
    method: "PUT",
    url: "/v1/webhook",
    payload: { url: "http://127.0.0.1:9/hook", secret: "order-fixture-secret" },
  },
  "GET /v1/webhook": { method: "GET", url: "/v1/webhook" },
  "DELETE /v1/webhook": { method: "DELETE", url: "/v1/webhook" },
};

/**
 * Routes about the credential itself or what it asked for (any credential, no secret scope):
 * tested in tokens.test.ts, me-and-token-list.test.ts, token-self-revoke.test.ts and
 * approvals.test.ts (the hosted product's forms: test/hosted-clients). Open routes need no
 * credential.
 */
const OWN_ROUTES = [
  "POST /v1/tokens",
  "GET /v1/tokens",
  "GET /v1/tokens/self",
  "DELETE /v1/tokens/self",
  "DELETE /v1/tokens/{token_id}",
  "GET /v1/me",
  "GET /v1/approvals",
  "GET /v1/approvals/{id}",
  "POST /v1/approvals/{id}/cancel",
  "GET /v1/approvals/agent/{id}",
  // Names only, with namespaces:read or a scope reading every secret: test/hosted-clients.
  "GET /v1/namespaces",
];
const OPEN_ROUTES = ["GET /v1/health", "GET /v1/openapi.json"];

let server: TestServer;
let upstream: Server;

beforeAll(async () => {
  // The broker routes' upstream: a stub on loopback that answers every call 200.
  upstream = createHttpServer((request, response) => {
    request.resume();
    request.on("end", () => response.end("{}"));
  });
  upstream.listen(0, "127.0.0.1");
  await once(upstream, "listening");
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  server = await createTestServer({
    broker: {
      routes: ["open", "gate", "elsewhere"].map((ns) => ({
        name: ns,
        upstream: origin,
        secretPath: `${ns}/key`,
        header: "X-Api-Key: {value}",
      })),
    },
  });
  // gate/key is critical: a token whose read scopes cover it waits for people (pending).
  for (const ns of ["open", "gate"]) {
    const seeded = await server.app.inject({
      method: "PUT",
      url: `/v1/secrets/${ns}/key`,
      headers: bearer(server.adminKey),
      payload: { value: "order-fixture", ...(ns === "gate" ? { tier: "critical" } : {}) },
    });
    expect(seeded.statusCode).toBeLessThan(300);
  }
});

afterAll(async () => {
  await server?.app.close();
  upstream?.close();
});

async function send(credential: string, call: Call) {
  return server.app.inject({ ...call, headers: bearer(credential) } as never);
}

async function usesLeft(token: string): Promise<number> {
  const self = await send(token, { method: "GET", url: "/v1/tokens/self" });
  expect(self.statusCode).toBe(200);
  return self.json().uses_remaining as number;
}

async function token(scope: string, maxUses = 10) {
  const issued = await requestToken(server, server.agentKey, {
    scope,
    max_uses: maxUses,
    ttl_seconds: 600,
  });
  expect([201, 202]).toContain(issued.statusCode);
  return { value: issued.body.token, pending: issued.statusCode === 202 };
}

async function auditedDenials(): Promise<number> {
  const audit = await send(server.adminKey, { method: "GET", url: "/v1/audit?limit=500" });
  const events = (audit.json().items ?? audit.json().events ?? []) as { outcome: string }[];
  return events.filter((event) => event.outcome === "denied").length;
}

describe("the guard's order", () => {
  it("covers every operation of the API in one of its tables", async () => {
    const doc = (await server.app.inject({ method: "GET", url: "/v1/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const known = new Set([
      ...Object.keys(SECRET_ROUTES),
      ...Object.keys(ADMIN_ROUTES),
      ...OWN_ROUTES,
      ...OPEN_ROUTES,
    ]);
    expect(operations.filter((operation) => !known.has(operation))).toEqual([]);
    expect([...known].filter((operation) => !operations.includes(operation))).toEqual([]);
  });

  describe.each(Object.entries(SECRET_ROUTES))("%s", (_name, route) => {
    it("checks the scope first: refused (and audited) without a use spent, even for a pending token", async () => {
      // `read` implies `use`: a use route is tried with a write scope.
      const other = route.action === "read" || route.action === "use" ? "write" : "read";
      const approved = await token(`secrets:${other}:open/*`);
      const pending = await token("secrets:*:gate/*");
      expect(pending.pending).toBe(true);
      for (const credential of [approved.value, pending.value]) {
        const before = await usesLeft(credential);
        const denialsBefore = await auditedDenials();
        const answer = await send(
          credential,
          route.call(credential === approved.value ? "open" : "elsewhere"),
        );
        expect(answer.statusCode, answer.body).toBe(403);
        expect(answer.json().error.code).toBe("SCOPE_DENIED");
        expect(await usesLeft(credential)).toBe(before);
        expect(await auditedDenials()).toBe(denialsBefore + 1);
      }
    });

    it("then the approval: a pending token in scope waits (202) without a use spent", async () => {
      const pending = await token("secrets:*:gate/*");
      const before = await usesLeft(pending.value);
      const answer = await send(pending.value, route.call("gate"));
      expect(answer.statusCode, answer.body).toBe(202);
      expect(answer.json().error.code).toBe("APPROVAL_PENDING");
      expect(await usesLeft(pending.value)).toBe(before);
    });

    it("then exactly one use for an allowed request, whatever it answers", async () => {
      const allowed = await token(`secrets:${route.action}:open/*`);
      const before = await usesLeft(allowed.value);
      const answer = await send(allowed.value, route.call("open"));
      expect(answer.statusCode, answer.body).toBeLessThan(500);
      expect([403, 401]).not.toContain(answer.statusCode);
      expect(await usesLeft(allowed.value)).toBe(before - 1);
    });
  });

  describe.each(Object.entries(ADMIN_ROUTES))("%s", (_name, call) => {
    it("refuses every credential but an admin key first, audited, spending no use", async () => {
      const allPowerful = await token("secrets:*:*");
      for (const credential of [server.agentKey, allPowerful.value]) {
        const before = credential === server.agentKey ? 0 : await usesLeft(credential);
        const denialsBefore = await auditedDenials();
        const answer = await send(credential, call);
        expect(answer.statusCode, answer.body).toBe(403);
        const operatorOnly = call.url === "/v1/tenants" || call.url.endsWith("/make-operator");
        expect(answer.json().error.required_scope).toBe(operatorOnly ? "operator" : "admin");
        expect(await auditedDenials()).toBe(denialsBefore + 1);
        if (credential !== server.agentKey) expect(await usesLeft(credential)).toBe(before);
      }
    });
  });
});
