import { afterEach, describe, expect, it } from "vitest";
import {
  createAgent,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "../helpers/test-server.js";
import { CANARY, expectError, send } from "./attack-helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

async function seed(target: TestServer, paths: string[]): Promise<void> {
  for (const path of paths) {
    const response = await putSecret(target, target.adminKey, path, { value: `${CANARY}-${path}` });
    expect(response.statusCode, response.body).toBe(201);
  }
}

describe("an agent key with a narrow ceiling", () => {
  it("cannot mint a token wider than its allowed scopes in any spelling", async () => {
    server = await createTestServer();
    const agent = await createAgent(server, ["secrets:read:prod/app/*"]);
    for (const scope of [
      "secrets:read:*",
      "secrets:read:prod/*",
      "secrets:read:prod/app",
      "secrets:*:prod/app/*",
      "secrets:write:prod/app/*",
      "secrets:delete:prod/app/x",
      "secrets:read:prod/*/x",
      "secrets:read:*/app/x",
    ]) {
      const issued = await requestToken(server, agent.agentKey, { scope });
      expect(issued.statusCode, scope).toBe(403);
      expect((issued.body.error as { code: string }).code).toBe("SCOPE_DENIED");
    }
    const both = await requestToken(server, agent.agentKey, {
      scopes: ["secrets:read:prod/app/key", "secrets:read:prod/other/key"],
    });
    expect(both.statusCode).toBe(403);
  });

  it("cannot smuggle a wider scope through odd scope syntax", async () => {
    server = await createTestServer();
    const agent = await createAgent(server, ["secrets:read:prod/app/*"]);
    for (const scope of [
      "secrets:read:prod/app/*:extra",
      "secrets:read:prod/app*",
      "secrets:read:prod/**",
      "secrets:READ:prod/app/x",
      "Secrets:read:prod/app/x",
      "secrets:read: prod/app/x",
      "secrets:read:prod/app/../../x",
      "secrets:read:prod/app/%2A",
      "secrets:read:/prod/app/x",
      "secrets:read:prod//app/x",
      "secrets:read:prod/app/x\u0000",
      "secrets:read:",
      "secrets::prod/app/x",
    ]) {
      const issued = await requestToken(server, agent.agentKey, { scope });
      expect(issued.statusCode, JSON.stringify(scope)).toBe(400);
    }
  });

  it("reads, lists, inspects and writes only inside its ceiling", async () => {
    server = await createTestServer();
    await seed(server, [
      "prod/app/key",
      "prod/app/deep/key",
      "prod/other/key",
      "prod/app-evil/key",
    ]);
    const agent = await createAgent(server, ["secrets:read:prod/app/*"]);
    expect((await send(server, agent.agentKey, "GET", "/v1/secrets/prod/app/key")).statusCode).toBe(
      200,
    );
    for (const url of [
      "/v1/secrets/prod/other/key",
      "/v1/secrets/prod/app-evil/key",
      "/v1/metadata/prod/other/key",
      "/v1/metadata/prod/app-evil/key",
    ]) {
      expectError(await send(server, agent.agentKey, "GET", url), 403, "SCOPE_DENIED");
    }
    const listing = await send(server, agent.agentKey, "GET", "/v1/secrets?namespace=prod");
    expect(listing.statusCode).toBe(200);
    expect(listing.json().items.map((item: { path: string }) => item.path)).toEqual([
      "prod/app/deep/key",
      "prod/app/key",
    ]);
    const whole = await send(server, agent.agentKey, "GET", "/v1/secrets?namespace=");
    expect(whole.json().items.map((item: { path: string }) => item.path)).toEqual([
      "prod/app/deep/key",
      "prod/app/key",
    ]);
    expectError(
      await send(server, agent.agentKey, "GET", "/v1/secrets?namespace=prod/other"),
      403,
      "SCOPE_DENIED",
    );
    expectError(
      await send(server, agent.agentKey, "PUT", "/v1/secrets/prod/app/key", {
        payload: { value: "overwrite-attempt" },
      }),
      403,
      "SCOPE_DENIED",
    );
    expectError(
      await send(server, agent.agentKey, "POST", "/v1/secrets/prod/app/key/rotate", {
        payload: { new_value: "rotate-attempt" },
      }),
      403,
      "SCOPE_DENIED",
    );
    expectError(
      await send(server, agent.agentKey, "DELETE", "/v1/secrets/prod/app/key"),
      403,
      "SCOPE_DENIED",
    );
  });

  it("learns nothing about paths outside its scope from GET on a namespace", async () => {
    server = await createTestServer();
    await seed(server, ["team/a/secret", "team/b/secret", "team"]);
    const agent = await createAgent(server, ["secrets:read:team/a/*"]);
    // `team` holds a secret the agent may not read, and namespaces it may partly read.
    const namespace = await send(server, agent.agentKey, "GET", "/v1/secrets/team");
    expect(namespace.statusCode).toBe(200);
    expect(namespace.json().items.map((item: { path: string }) => item.path)).toEqual([
      "team/a/secret",
    ]);
    expect(namespace.body).not.toContain(CANARY);
    // A namespace it can read nothing below looks the same whether or not it exists.
    const existing = await send(server, agent.agentKey, "GET", "/v1/secrets/team/b");
    const missing = await send(server, agent.agentKey, "GET", "/v1/secrets/team/zzz");
    expect(existing.statusCode).toBe(403);
    expect(missing.statusCode).toBe(403);
    expect(existing.json().error.message).toBe(
      missing.json().error.message.replace("team/zzz", "team/b"),
    );
  });

  it("cannot import into a namespace where one key falls outside its write scope", async () => {
    server = await createTestServer();
    const agent = await createAgent(server, ["secrets:write:imports/allowed"]);
    const response = await send(server, agent.agentKey, "POST", "/v1/secrets/import", {
      payload: { namespace: "imports", content: `allowed=${CANARY}\nforbidden=${CANARY}` },
    });
    expectError(response, 403, "SCOPE_DENIED");
    expect(response.body).not.toContain(CANARY);
    const listing = await send(server, server.adminKey, "GET", "/v1/secrets?namespace=imports");
    expect(listing.json().items).toEqual([]);
  });
});

describe("scoped tokens", () => {
  it("do not let write imply read or delete, nor read imply metadata of other paths", async () => {
    server = await createTestServer();
    await seed(server, ["ops/db", "ops/other"]);
    const writer = await requestToken(server, server.agentKey, { scope: "secrets:write:ops/db" });
    expectError(
      await send(server, writer.body.token, "GET", "/v1/secrets/ops/db"),
      403,
      "SCOPE_DENIED",
    );
    expectError(
      await send(server, writer.body.token, "GET", "/v1/metadata/ops/db"),
      403,
      "SCOPE_DENIED",
    );
    expectError(
      await send(server, writer.body.token, "DELETE", "/v1/secrets/ops/db"),
      403,
      "SCOPE_DENIED",
    );
    const reader = await requestToken(server, server.agentKey, { scope: "secrets:read:ops/db" });
    expectError(
      await send(server, reader.body.token, "GET", "/v1/metadata/ops/other"),
      403,
      "SCOPE_DENIED",
    );
    // A scope reaching below a namespace lists it, but only with what the scope may read.
    const listing = await send(server, reader.body.token, "GET", "/v1/secrets?namespace=ops");
    expect(listing.json().items.map((item: { path: string }) => item.path)).toEqual(["ops/db"]);
  });

  it("make children only within the parent's scopes, lifetime and uses", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:prod/app/*",
      ttl_seconds: 300,
      max_uses: 4,
    });
    const attempts: Record<string, unknown>[] = [
      { scope: "secrets:*:prod/app/*" },
      { scope: "secrets:write:prod/app/x" },
      { scope: "secrets:read:prod/*" },
      { scope: "secrets:read:prod/app" },
      { scope: "secrets:read:*" },
      { scopes: ["secrets:read:prod/app/x", "secrets:read:prod/other/x"] },
      { scope: "secrets:read:prod/app/x", ttl: "1d" },
      { scope: "secrets:read:prod/app/x", ttl_seconds: 301 },
      { scope: "secrets:read:prod/app/x", max_uses: 4 },
    ];
    for (const attempt of attempts) {
      const child = await requestToken(server, parent.body.token, attempt);
      expect(child.statusCode, JSON.stringify(attempt)).toBe(403);
    }
    // Refused requests consume nothing of the parent.
    const record = await send(server, parent.body.token, "GET", "/v1/tokens/self");
    expect(record.json()).toMatchObject({ uses: 0, uses_remaining: 4 });
  });

  it("cannot chain children to escape the parent's remaining uses", async () => {
    server = await createTestServer();
    await seed(server, ["chain/key"]);
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:chain/*",
      max_uses: 2,
    });
    // Minting the child spends one of two uses: the child may have at most one.
    const child = await requestToken(server, parent.body.token, { scope: "secrets:read:chain/*" });
    expect(child.statusCode).toBe(201);
    expect(child.body.max_uses).toBe(1);
    const grandchild = await requestToken(server, child.body.token, {
      scope: "secrets:read:chain/*",
    });
    expect(grandchild.statusCode).toBe(403);
    expect((await send(server, child.body.token, "GET", "/v1/secrets/chain/key")).statusCode).toBe(
      200,
    );
    expect((await send(server, child.body.token, "GET", "/v1/secrets/chain/key")).statusCode).toBe(
      401,
    );
  });

  it("cannot outlive a parent by asking for a TTL in another spelling", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:x/*",
      ttl_seconds: 120,
    });
    for (const ttl of ["121s", "3m", "1h", "1d", 121]) {
      const child = await requestToken(server, parent.body.token, {
        scope: "secrets:read:x/*",
        ttl,
      });
      expect(child.statusCode, String(ttl)).toBe(403);
    }
    server.clock.advance(119);
    const late = await requestToken(server, parent.body.token, { scope: "secrets:read:x/*" });
    expect(late.statusCode).toBe(201);
    expect(late.body.ttl_seconds).toBe(1);
    server.clock.advance(1);
    expect((await send(server, late.body.token, "GET", "/v1/tokens/self")).statusCode).toBe(401);
  });

  it("keep a child inside its parent's allowed_ips", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:ip/*",
      allowed_ips: ["10.0.0.0/24"],
    });
    // Omitting allowed_ips inherits the parent's list.
    const inherited = await send(server, parent.body.token, "POST", "/v1/tokens", {
      payload: { scope: "secrets:read:ip/*" },
      remoteAddress: "10.0.0.5",
    });
    expect(inherited.statusCode, inherited.body).toBe(201);
    expect(inherited.json().allowed_ips).toEqual(["10.0.0.0/24"]);
    const outside = await send(server, inherited.json().token, "GET", "/v1/tokens/self", {
      remoteAddress: "192.0.2.7",
    });
    expectError(outside, 403, "IP_NOT_ALLOWED");
    // A list that reaches beyond the parent's is refused; a narrower one is fine.
    for (const allowed_ips of [
      ["192.0.2.7"],
      ["10.0.0.0/16"],
      ["10.0.0.5", "::1"],
      ["0.0.0.0/0"],
    ]) {
      const wider = await send(server, parent.body.token, "POST", "/v1/tokens", {
        payload: { scope: "secrets:read:ip/*", allowed_ips },
        remoteAddress: "10.0.0.5",
      });
      expectError(wider, 403, "SCOPE_DENIED");
    }
    const narrower = await send(server, parent.body.token, "POST", "/v1/tokens", {
      payload: { scope: "secrets:read:ip/*", allowed_ips: ["10.0.0.5", "10.0.0.128/25"] },
      remoteAddress: "10.0.0.5",
    });
    expect(narrower.statusCode, narrower.body).toBe(201);
  });
});
