import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "./helpers/approvals.js";
import { bodyOf } from "./helpers/body-of.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";
import { startUpstreamStub, type UpstreamStub } from "./helpers/upstream-stub.js";

// A secret's allowed_destinations (issue 18, item 3): set with its write, checked at the edge,
// shown in its metadata, and enforced by the broker whatever the route allows.

const VALUE = `bound-fixture-${"d".repeat(16)}`;
const PATH = "production/bound/key";
let bound: UpstreamStub;
let other: UpstreamStub;
let server: TestServer;
let vault: string;

beforeAll(async () => {
  bound = await startUpstreamStub();
  other = await startUpstreamStub();
  const route = (name: string, upstream: string) => ({
    name,
    upstream,
    secretPath: PATH,
    header: "Authorization: Bearer {value}",
  });
  server = await createTestServer({
    broker: { routes: [route("bound", bound.origin), route("other", other.origin)] },
  });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  vault = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server?.app.close();
  await bound?.close();
  await other?.close();
});

async function metadata() {
  const answer = await getWith(server, server.adminKey, `/v1/metadata/${PATH}`);
  expect(answer.statusCode).toBe(200);
  return answer.json();
}

async function callThrough(path: string): Promise<Response> {
  const issued = await requestToken(server, server.agentKey, {
    scope: "secrets:use:production/bound/*",
    ttl_seconds: 600,
  });
  expect(issued.statusCode).toBe(201);
  return fetch(`${vault}/v1/broker/${path}`, { headers: bearer(issued.body.token) });
}

describe("a secret's allowed_destinations", () => {
  it("are refused at the edge when an origin or a prefix is malformed, naming the entry", async () => {
    for (const destination of [
      { origin: "https://api.example.com/v1" },
      { origin: "not a url" },
      { origin: "ftp://files.example.com" },
      { origin: "https://api.example.com", path_prefixes: ["v1/"] },
    ]) {
      const refused = await putSecret(server, server.adminKey, PATH, {
        value: VALUE,
        allowed_destinations: [{ origin: bound.origin }, destination],
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.issues[0].field).toBe("allowed_destinations[1]");
      expect(refused.body).not.toContain(VALUE);
    }
  });

  it("are stored with the write, shown in the metadata, kept by a write that omits them, removed by []", async () => {
    const written = await putSecret(server, server.adminKey, PATH, {
      value: VALUE,
      allowed_destinations: [
        {
          origin: `${bound.origin.toUpperCase().replace("HTTP", "http")}`,
          path_prefixes: ["/v1/"],
        },
      ],
    });
    expect(written.statusCode).toBeLessThan(300);
    const expected = [{ origin: bound.origin, path_prefixes: ["/v1/"] }];
    expect(written.json().allowed_destinations).toEqual(expected);
    expect((await metadata()).allowed_destinations).toEqual(expected);
    await putSecret(server, server.adminKey, PATH, { value: VALUE, description: "kept" });
    expect((await metadata()).allowed_destinations).toEqual(expected);
    await putSecret(server, server.adminKey, PATH, { value: VALUE, allowed_destinations: [] });
    expect((await metadata()).allowed_destinations).toBeNull();
  });

  it("let the broker send the value inside the binding and refuse (403, audited, nothing sent) outside it", async () => {
    await putSecret(server, server.adminKey, PATH, {
      value: VALUE,
      allowed_destinations: [{ origin: bound.origin, path_prefixes: ["/v1/"] }],
    });
    bound.seen.length = 0;
    other.seen.length = 0;
    const inside = await callThrough("bound/v1/models?limit=1");
    expect(inside.status).toBe(200);
    expect(bound.seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);

    const otherPath = await callThrough("bound/v2/models");
    expect(otherPath.status).toBe(403);
    const body = await bodyOf(otherPath);
    expect(body.error).toMatchObject({
      code: "DESTINATION_NOT_ALLOWED",
      path: PATH,
      route: "bound",
    });
    expect(body.error.message).toContain(`${bound.origin}/v1/`);

    const otherOrigin = await callThrough("other/v1/models");
    expect(otherOrigin.status).toBe(403);
    expect((await bodyOf(otherOrigin)).error.code).toBe("DESTINATION_NOT_ALLOWED");
    expect(bound.seen).toHaveLength(1);
    expect(other.seen).toHaveLength(0);

    const denied = (await auditEvents(server, "secret.used")).filter(
      (event) => event.outcome === "denied",
    );
    expect(denied.map((event) => event.detail)).toEqual(
      expect.arrayContaining([
        { reason: "destination", route: "bound", destination: bound.origin },
        { reason: "destination", route: "other", destination: other.origin },
      ]),
    );
  });

  it("do not stop a route once removed", async () => {
    await putSecret(server, server.adminKey, PATH, { value: VALUE, allowed_destinations: [] });
    expect((await callThrough("other/v1/models")).status).toBe(200);
  });
});
