import { afterEach, describe, expect, it } from "vitest";
import {
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

describe("max_uses", () => {
  it("lets exactly one of 50 parallel reads succeed with a max_uses: 1 token", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: "canary-value-race" });
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      max_uses: 1,
    });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => getWith(server, token.body.token, "/v1/secrets/a/b")),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(49);
  });

  it("counts every allowed request, a 404 included, and nothing that was denied", async () => {
    server = await createTestServer();
    await putSecret(server, server.agentKey, "a/b", { value: "canary-value-x" });
    const token = await requestToken(server, server.agentKey, {
      scope: "secrets:read:a/*",
      max_uses: 2,
    });
    expect((await getWith(server, token.body.token, "/v1/secrets/other/x")).statusCode).toBe(403);
    expect((await getWith(server, token.body.token, "/v1/tokens/self")).json().uses).toBe(0);
    expect((await getWith(server, token.body.token, "/v1/secrets/a/missing")).statusCode).toBe(404);
    expect((await getWith(server, token.body.token, "/v1/secrets/a/b")).statusCode).toBe(200);
    expect((await getWith(server, token.body.token, "/v1/secrets/a/b")).statusCode).toBe(401);
  });
});
