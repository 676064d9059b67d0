import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrokerRoute } from "../src/broker/broker-route.js";
import { bodyOf } from "./helpers/body-of.js";
import { createTestCa, type TestCa } from "./helpers/test-ca.js";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";
import { startUpstreamStub, type UpstreamStub } from "./helpers/upstream-stub.js";

// A private upstream (issue 18, item 5): an HTTPS stub whose certificate a CA made for this run
// signed. Without the CA the broker refuses it (the certificate is always verified); with the
// route's ca_file, or the broker's, the call goes through and the key reaches the stub.

const VALUE = `ca-fixture-${"c".repeat(16)}`;
const PATH = "production/private/key";
let ca: TestCa;
let stub: UpstreamStub;
const servers: TestServer[] = [];

beforeAll(async () => {
  ca = createTestCa();
  stub = await startUpstreamStub(undefined, { key: ca.key, cert: ca.cert });
});

afterAll(async () => {
  for (const server of servers) await server.app.close();
  await stub?.close();
  ca?.remove();
});

async function vaultWith(route: Partial<BrokerRoute>, caFile?: string): Promise<string> {
  const server = await createTestServer({
    broker: {
      routes: [
        {
          name: "private",
          upstream: stub.origin,
          secretPath: PATH,
          header: "Authorization: Bearer {value}",
          ...route,
        },
      ],
      ...(caFile === undefined ? {} : { caFile }),
    },
  });
  servers.push(server);
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  await putSecret(server, server.adminKey, PATH, { value: VALUE });
  const issued = await requestToken(server, server.agentKey, {
    scope: "secrets:use:production/private/*",
    ttl_seconds: 600,
  });
  const vault = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  return `${vault}\n${issued.body.token}`;
}

async function callPrivate(target: string): Promise<Response> {
  const [vault, token] = target.split("\n") as [string, string];
  return fetch(`${vault}/v1/broker/private/v1/items`, { headers: bearer(token) });
}

describe("a private upstream's CA", () => {
  it("is needed: without it the certificate does not verify, 502 saying so, nothing sent", async () => {
    stub.seen.length = 0;
    const refused = await callPrivate(await vaultWith({}));
    expect(refused.status).toBe(502);
    const body = await bodyOf(refused);
    expect(body.error.code).toBe("UPSTREAM_FAILED");
    expect(body.error.message).toContain("could not be verified");
    expect(JSON.stringify(body)).not.toContain(VALUE);
    expect(stub.seen).toHaveLength(0);
  });

  it("named in the route's ca_file lets the call through with the key", async () => {
    stub.seen.length = 0;
    const answer = await callPrivate(await vaultWith({ caFile: ca.caFile }));
    expect(answer.status).toBe(200);
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${VALUE}`);
  });

  it("named in broker.ca_file applies to every route without its own", async () => {
    stub.seen.length = 0;
    const answer = await callPrivate(await vaultWith({}, ca.caFile));
    expect(answer.status).toBe(200);
    expect(stub.seen).toHaveLength(1);
  });

  it("must be a readable PEM file: the server refuses to start, naming the field", async () => {
    await expect(vaultWith({ caFile: "/nonexistent/ca.pem" })).rejects.toThrow(
      /ca_file: cannot read/,
    );
    await expect(vaultWith({}, "/nonexistent/ca.pem")).rejects.toThrow(
      /broker\.ca_file: cannot read/,
    );
  });
});
