import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./helpers/test-server.js";

describe("the embedded server createServer returns", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
  });

  it("offers listen, inject, server, close and firstStart, and nothing of the Fastify app inside", async () => {
    server = await createTestServer();
    const app = server.app as unknown as Record<string, unknown>;
    expect(Object.keys(app).sort()).toEqual(["close", "firstStart", "inject", "listen", "server"]);
    for (const fastifyOnly of ["register", "addHook", "route", "get", "decorate", "printRoutes"]) {
      expect(app[fastifyOnly]).toBeUndefined();
    }
    expect(server.app.firstStart?.agentKey).toBe(server.agentKey);
  });

  it("injects requests with text headers and a JSON body, and serves the same on a socket", async () => {
    server = await createTestServer();
    const injected = await server.app.inject({
      method: "PUT",
      url: "/v1/secrets/demo/app/api-key",
      headers: { authorization: `Bearer ${server.agentKey}` },
      payload: { value: "not-a-real-credential" },
    });
    expect(injected.statusCode).toBe(201);
    expect(injected.headers["content-length"]).toBe(String(Buffer.byteLength(injected.body)));
    expect(injected.json<{ path: string }>().path).toBe("demo/app/api-key");

    const url = await server.app.listen({ port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const served = await fetch(`${url}/v1/secrets/demo/app/api-key`, {
      headers: { authorization: `Bearer ${server.agentKey}` },
    });
    expect(served.status).toBe(200);
    expect(((await served.json()) as { value: string }).value).toBe("not-a-real-credential");
  });
});
