import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BrokerRoute } from "../src/broker/broker-route.js";
import { auditEvents, decide } from "./helpers/approvals.js";
import { bodyOf } from "./helpers/body-of.js";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// The credential broker on real sockets: the vault listens on loopback, an upstream stub on
// another port records what reaches it. The key must reach the stub; the caller's token never.

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

const VALUE = "broker-fixture-value-0001";
const GATED_VALUE = "broker-fixture-gated-0002";
const seen: Seen[] = [];
const logLines: string[] = [];
let upstream: Server;
let upstreamOrigin: string;
let server: TestServer;
let vault: string;

function startUpstream(): Promise<Server> {
  const stub = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
      });
      const url = new URL(request.url ?? "/", "http://stub");
      if (url.pathname === "/v1/chat/completions") {
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            id: "chatcmpl-fixture",
            object: "chat.completion",
            created: 1,
            model: "stub-model",
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: "hello through the broker" },
                finish_reason: "stop",
              },
            ],
          }),
        );
        return;
      }
      if (url.pathname === "/v1/slow") return; // never answers
      if (url.pathname === "/v1/echo") {
        response.writeHead(200, { "x-echo": String(request.headers.authorization) });
        response.end(JSON.stringify({ received: request.headers.authorization }));
        return;
      }
      if (url.pathname === "/v1/stream") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: first\n\n");
        setTimeout(() => response.end("data: last\n\n"), 600);
        return;
      }
      if (url.pathname === "/v1/redirect") {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
        response.end();
        return;
      }
      response.writeHead(url.pathname === "/v1/missing" ? 404 : 200, {
        "content-type": "application/json",
        connection: "close, x-private-hop",
        "x-private-hop": "dropped",
      });
      response.end(JSON.stringify({ ok: true, path: url.pathname }));
    });
  });
  stub.listen(0, "127.0.0.1");
  return once(stub, "listening").then(() => stub);
}

beforeAll(async () => {
  upstream = await startUpstream();
  upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const routes: BrokerRoute[] = [
    {
      name: "openai",
      upstream: upstreamOrigin,
      secretPath: "production/openai/api-key",
      header: "Authorization: Bearer {value}",
      pathPrefixes: ["/v1/"],
      methods: ["GET", "POST"],
      maxBodyBytes: 4096,
    },
    {
      name: "query",
      upstream: `${upstreamOrigin}/base`,
      secretPath: "production/openai/api-key",
      queryParameter: "key",
    },
    {
      name: "basic",
      upstream: upstreamOrigin,
      secretPath: "production/openai/api-key",
      basicUser: "api",
    },
    {
      name: "gated",
      upstream: upstreamOrigin,
      secretPath: "production/gated/key",
      header: "X-Api-Key: {value}",
    },
    {
      name: "slow",
      upstream: upstreamOrigin,
      secretPath: "production/openai/api-key",
      header: "X-Api-Key: {value}",
      timeoutSeconds: 1,
    },
    {
      name: "down",
      upstream: "http://127.0.0.1:9",
      secretPath: "production/openai/api-key",
      header: "X-Api-Key: {value}",
    },
  ];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString("utf8"));
      done();
    },
  });
  server = await createTestServer({
    broker: { routes },
    logger: { level: "trace", stream: logStream },
  });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  vault = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  await putSecret(server, server.adminKey, "production/openai/api-key", { value: VALUE });
  await putSecret(server, server.adminKey, "production/gated/key", {
    value: GATED_VALUE,
    tier: "sensitive",
  });
});

afterAll(async () => {
  await server?.app.close();
  upstream?.closeAllConnections();
  upstream?.close();
});

beforeEach(() => {
  seen.length = 0;
});

async function token(scope: string, extra: Record<string, unknown> = {}) {
  const issued = await requestToken(server, server.agentKey, { scope, ttl_seconds: 600, ...extra });
  expect([201, 202]).toContain(issued.statusCode);
  return issued;
}

function call(credential: string, path: string, init: RequestInit = {}) {
  return fetch(`${vault}/v1/broker/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${credential}`, ...(init.headers ?? {}) },
  });
}

/** A call with node:http, which sends the hop-by-hop headers fetch refuses to. */
function nodeCall(
  credential: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const sent = request(`${vault}/v1/broker/${path}`, {
      headers: { authorization: `Bearer ${credential}`, ...headers },
    });
    sent.on("error", reject);
    sent.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
    });
    sent.end();
  });
}

/** Everything the upstream saw, as one string. */
function upstreamSaw(): string {
  return JSON.stringify(seen);
}

describe("the credential broker", () => {
  it("lets the OpenAI SDK call through it unchanged, with a use-only token as its API key", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const openai = new OpenAI({
      baseURL: `${vault}/v1/broker/openai/v1`,
      apiKey: issued.body.token,
      maxRetries: 0,
    });
    const answer = await openai.chat.completions.create({
      model: "stub-model",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0]?.message.content).toBe("hello through the broker");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe("/v1/chat/completions");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
    expect(JSON.parse(seen[0]?.body ?? "{}")).toMatchObject({ model: "stub-model" });
    expect(upstreamSaw()).not.toContain(issued.body.token);
  });

  it("gives a use-only token no way to read the value", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const read = await fetch(`${vault}/v1/secrets/production/openai/api-key`, {
      headers: bearer(issued.body.token),
    });
    expect(read.status).toBe(403);
    const body = await read.text();
    expect(body).toContain("SCOPE_DENIED");
    expect(body).not.toContain(VALUE);
  });

  it("takes read as use, and refuses a scope that does not cover use before anything goes upstream", async () => {
    const reader = await token("secrets:read:production/openai/*");
    expect((await call(reader.body.token, "openai/v1/models")).status).toBe(200);
    const writer = await token("secrets:write:production/openai/*");
    seen.length = 0;
    const refused = await call(writer.body.token, "openai/v1/models");
    expect(refused.status).toBe(403);
    expect((await bodyOf(refused)).error).toMatchObject({
      code: "SCOPE_DENIED",
      required_scope: "secrets:use:production/openai/api-key",
    });
    expect(seen).toHaveLength(0);
  });

  it("takes the token from X-Vault-Token too, and removes it", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const answer = await fetch(`${vault}/v1/broker/openai/v1/models`, {
      headers: { "x-vault-token": issued.body.token },
    });
    expect(answer.status).toBe(200);
    expect(seen[0]?.headers["x-vault-token"]).toBeUndefined();
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
    expect(upstreamSaw()).not.toContain(issued.body.token);
  });

  it("spends one use of a max_uses token per call", async () => {
    const issued = await token("secrets:use:production/openai/*", { max_uses: 2 });
    expect((await call(issued.body.token, "openai/v1/models")).status).toBe(200);
    expect((await call(issued.body.token, "openai/v1/models")).status).toBe(200);
    expect((await call(issued.body.token, "openai/v1/models")).status).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it("refuses a revoked token on its next call", async () => {
    const issued = await token("secrets:use:production/openai/*");
    expect((await call(issued.body.token, "openai/v1/models")).status).toBe(200);
    const revoked = await server.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${issued.body.token_id}`,
      headers: bearer(server.adminKey),
    });
    expect(revoked.statusCode).toBeLessThan(300);
    expect((await call(issued.body.token, "openai/v1/models")).status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it("keeps the query, drops hop-by-hop headers both ways, and injects as a query parameter or basic auth", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const viaQuery = await nodeCall(issued.body.token, "query/v1/items?limit=2&key=caller-set", {
      connection: "keep-alive, x-secret-hop",
      "x-secret-hop": "must-not-pass",
      "proxy-authorization": "must-not-pass",
      "x-kept": "yes",
    });
    expect(viaQuery.status).toBe(200);
    const url = new URL(seen[0]?.url ?? "", "http://stub");
    expect(url.pathname).toBe("/base/v1/items");
    expect(url.searchParams.get("limit")).toBe("2");
    expect(url.searchParams.getAll("key")).toEqual([VALUE]);
    expect(seen[0]?.headers["x-secret-hop"]).toBeUndefined();
    expect(seen[0]?.headers["proxy-authorization"]).toBeUndefined();
    expect(seen[0]?.headers["x-kept"]).toBe("yes");
    expect(seen[0]?.headers.authorization).toBeUndefined();
    const viaBasic = await call(issued.body.token, "basic/anything");
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers.get("x-private-hop")).toBeNull();
    expect(seen[1]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`api:${VALUE}`).toString("base64")}`,
    );
  });

  it("passes upstream errors and redirects on as they are, never following them", async () => {
    const issued = await token("secrets:use:production/openai/*");
    expect((await call(issued.body.token, "openai/v1/missing")).status).toBe(404);
    const redirect = await call(issued.body.token, "openai/v1/redirect", { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(seen).toHaveLength(2);
  });

  it("refuses unknown routes, methods and paths the route does not allow, spending nothing", async () => {
    const issued = await token("secrets:use:production/openai/*", { max_uses: 5 });
    const unknown = await call(issued.body.token, "nope/v1/models");
    expect(unknown.status).toBe(404);
    expect((await bodyOf(unknown)).error.message).toContain("openai");
    expect((await call(issued.body.token, "openai/v1/models", { method: "DELETE" })).status).toBe(
      400,
    );
    expect((await call(issued.body.token, "openai/v2/models")).status).toBe(400);
    expect((await call(issued.body.token, "openai/v1/%2e%2e/admin")).status).toBe(400);
    expect(seen).toHaveLength(0);
    const self = await fetch(`${vault}/v1/tokens/self`, { headers: bearer(issued.body.token) });
    expect((await bodyOf(self)).uses_remaining).toBe(5);
  });

  it("bounds the request body (413) and answers an unreachable upstream with 502", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const big = await call(issued.body.token, "openai/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(8000) }),
    });
    expect(big.status).toBe(413);
    expect(seen).toHaveLength(0);
    const down = await call(issued.body.token, "down/v1/models");
    expect(down.status).toBe(502);
    const body = await down.text();
    expect(body).toContain("UPSTREAM_FAILED");
    expect(body).not.toContain(VALUE);
  });

  it("cuts off a streamed (chunked) body over the route's limit with 413", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(`${vault}/v1/broker/openai/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${issued.body.token}`,
          "content-type": "application/json",
          "transfer-encoding": "chunked",
        },
      });
      sent.on("error", reject);
      sent.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      for (let index = 0; index < 8; index += 1) sent.write("x".repeat(1000));
      sent.end();
    });
    expect(status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it("masks the value when the upstream echoes it back, in headers and body", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const echoed = await call(issued.body.token, "openai/v1/echo");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
    expect(echoed.headers.get("x-echo")).toBe(`Bearer ${"*".repeat(VALUE.length)}`);
    const body = await echoed.text();
    expect(body).not.toContain(VALUE);
    expect(body).toContain("*".repeat(VALUE.length));
  });

  it("answers a silent upstream with 504 once the route's timeout passes", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const started = performance.now();
    const silent = await call(issued.body.token, "slow/v1/slow");
    expect(silent.status).toBe(504);
    expect((await bodyOf(silent)).error).toMatchObject({ code: "UPSTREAM_TIMEOUT", route: "slow" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("streams the answer as the upstream produces it (server-sent events)", async () => {
    const issued = await token("secrets:use:production/openai/*");
    const started = performance.now();
    const answer = await call(issued.body.token, "openai/v1/stream");
    expect(answer.status).toBe(200);
    const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const firstAt = performance.now() - started;
    expect(new TextDecoder().decode(first.value)).toContain("data: first");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    const endAt = performance.now() - started;
    expect(rest).toContain("data: last");
    // The first event arrived before the upstream's 600 ms pause ended, not with the last one.
    expect(endAt - firstAt).toBeGreaterThan(400);
  });

  it("needs an approval for a sensitive secret's route", async () => {
    const pending = await token("secrets:use:production/gated/*");
    expect(pending.statusCode).toBe(202);
    const waiting = await call(pending.body.token, "gated/x");
    expect(waiting.status).toBe(202);
    expect((await bodyOf(waiting)).error.code).toBe("APPROVAL_PENDING");
    expect(seen).toHaveLength(0);
    const approval = pending.body.approval_request_id as string;
    expect((await decide(server, server.adminKey, approval, "approve")).statusCode).toBe(200);
    const allowed = await call(pending.body.token, "gated/x");
    expect(allowed.status).toBe(200);
    expect(seen[0]?.headers["x-api-key"]).toBe(GATED_VALUE);
  });

  it("audits every call as secret.used without headers, bodies, queries, the value or the token", async () => {
    const issued = await token("secrets:use:production/openai/*");
    expect((await call(issued.body.token, "openai/v1/models?secret-query=1")).status).toBe(200);
    // The call's start is committed before it goes upstream; its end once the answer has been
    // streamed, so that event may follow the answer.
    const ofThisCall = (event: unknown) =>
      (event as { token_id?: string }).token_id === issued.body.token_id;
    const ended = (event: unknown) =>
      ofThisCall(event) && (event as { outcome?: string }).outcome !== "started";
    let events = await auditEvents(server, "secret.used");
    for (let tries = 0; !events.some(ended); tries += 1) {
      expect(tries, "the secret.used event of the call's end").toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events = await auditEvents(server, "secret.used");
    }
    const ofCall = events.filter(ofThisCall);
    expect(ofCall.map((event) => event.outcome).sort()).toEqual(["started", "success"]);
    expect(ofCall.find((event) => event.outcome === "started")?.detail).toEqual({
      route: "openai",
      method: "GET",
      upstream_path: "/v1/models",
    });
    const last = events.find(ended);
    expect(last?.outcome).toBe("success");
    expect(last?.detail).toMatchObject({
      route: "openai",
      method: "GET",
      upstream_path: "/v1/models",
      status: 200,
      bytes_sent: 0,
    });
    expect(
      (last?.detail as { bytes_received?: number } | undefined)?.bytes_received,
    ).toBeGreaterThan(0);
    const everything = JSON.stringify(events);
    expect(everything).not.toContain("secret-query");
    expect(everything).not.toContain(VALUE);
    expect(everything).not.toContain(issued.body.token);
    const logs = logLines.join("");
    expect(logs).toContain("/v1/broker/");
    expect(logs).not.toContain(VALUE);
    expect(logs).not.toContain(GATED_VALUE);
    expect(logs).not.toContain(issued.body.token);
  });
});
