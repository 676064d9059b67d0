import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";
import { startUpstreamStub, type UpstreamStub } from "./helpers/upstream-stub.js";

// A brokered call is a token use, not a vault write: a POST through the broker counts against
// the caller's request budget only, never against the smaller write budget. HEAD goes through.

const VALUE = `budget-fixture-${"v".repeat(12)}`;
let stub: UpstreamStub;
let server: TestServer;
let vault: string;

beforeAll(async () => {
  stub = await startUpstreamStub((request, response) => {
    response.writeHead(200, { "content-type": "application/json", "x-upstream": "stub" });
    response.end(request.method === "HEAD" ? undefined : JSON.stringify({ ok: true }));
  });
  server = await createTestServer({
    broker: {
      routes: [
        {
          name: "api",
          upstream: stub.origin,
          secretPath: "production/api/key",
          header: "X-Api-Key: {value}",
        },
      ],
    },
    rateLimits: {
      perCredential: { points: 1000, durationSeconds: 60 },
      writes: { points: 3, durationSeconds: 60 },
      failedAuth: { points: 1000, durationSeconds: 60 },
    },
  });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  vault = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  expect(
    (await putSecret(server, server.adminKey, "production/api/key", { value: VALUE })).statusCode,
  ).toBe(201);
});

afterAll(async () => {
  await server?.app.close();
  await stub?.close();
});

async function useToken(): Promise<string> {
  const issued = await requestToken(server, server.agentKey, {
    scope: "secrets:use:production/api/*",
    ttl_seconds: 600,
  });
  expect(issued.statusCode).toBe(201);
  return issued.body.token;
}

describe("broker calls and the vault's budgets", () => {
  it("do not spend the write budget: five POSTs pass where the budget allows three writes", async () => {
    const token = await useToken();
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = await fetch(`${vault}/v1/broker/api/v1/things`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ index }),
      });
      await answer.arrayBuffer();
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(stub.seen.filter((seen) => seen.method === "POST")).toHaveLength(5);
  });

  it("forwards HEAD, answering the upstream's status and headers without a body", async () => {
    const token = await useToken();
    stub.seen.length = 0;
    const answer = await fetch(`${vault}/v1/broker/api/v1/things`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-upstream")).toBe("stub");
    expect((await answer.arrayBuffer()).byteLength).toBe(0);
    expect(stub.seen.map((seen) => seen.method)).toEqual(["HEAD"]);
    expect(stub.seen[0]?.headers["x-api-key"]).toBe(VALUE);
  });
});
