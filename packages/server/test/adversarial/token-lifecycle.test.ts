import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { InjectedResponse } from "../../src/vault-server.js";
import { createAdmin, deleteAdmin } from "../helpers/approvals.js";
import { rawRequest } from "../helpers/raw-http.js";
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

/** What an attacker can compare between two refusals: status, body and header names. */
function fingerprint(response: InjectedResponse) {
  const headers = Object.keys(response.headers)
    .filter((name) => !["x-request-id", "date", "content-length"].includes(name))
    .sort();
  return { status: response.statusCode, body: response.json(), headers };
}

describe("unusable credentials", () => {
  it("all get the same 401: unknown, malformed, revoked, cascaded, expired, used up, of a deleted agent or admin", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "t/key", { value: CANARY });
    const issue = async (credential: string, extra: Record<string, unknown> = {}) =>
      (await requestToken(current(), credential, { scope: "secrets:read:t/*", ...extra })).body
        .token;
    const revoked = await issue(server.agentKey);
    await send(server, revoked, "DELETE", "/v1/tokens/self");
    const parent = await issue(server.agentKey);
    const cascaded = await issue(parent);
    await send(server, parent, "DELETE", "/v1/tokens/self");
    const expired = await issue(server.agentKey, { ttl_seconds: 5 });
    const usedUp = await issue(server.agentKey, { max_uses: 1 });
    await send(server, usedUp, "GET", "/v1/secrets/t/key");
    const agent = await createAgent(server, ["secrets:*:*"], "doomed");
    const agentToken = await issue(agent.agentKey);
    await send(server, server.adminKey, "DELETE", `/v1/agents/${agent.agentId}`);
    const admin = await createAdmin(server, "doomed-admin");
    await deleteAdmin(server, admin.adminId, server.adminKey, admin.adminKey);
    current().clock.advance(10);
    const lookalike = `ast_tok_${"A".repeat(43)}`;
    const credentials = [
      lookalike,
      "ast_tok_short",
      revoked,
      cascaded,
      expired,
      usedUp,
      agent.agentKey,
      agentToken,
      admin.adminKey,
    ];
    const answers = [];
    for (const credential of credentials) {
      answers.push(fingerprint(await send(current(), credential, "GET", "/v1/secrets/t/key")));
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(401);
  });

  it("cannot be revived: a revoked token's children, and a used-up token's minting, stay refused", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "t/key", { value: CANARY });
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:t/*",
      max_uses: 3,
    });
    const child = await requestToken(server, parent.body.token, {
      scope: "secrets:read:t/*",
      max_uses: 1,
    });
    expect(child.statusCode).toBe(201);
    // Minting the child spent one use and gave it another, this read the last.
    expect((await send(server, parent.body.token, "GET", "/v1/secrets/t/key")).statusCode).toBe(
      200,
    );
    expectError(
      await send(server, parent.body.token, "POST", "/v1/tokens", {
        payload: { scope: "secrets:read:t/*" },
      }),
      401,
      "UNAUTHORIZED",
    );
    await send(server, server.adminKey, "DELETE", `/v1/tokens/${parent.body.token_id}`);
    expectError(
      await send(server, child.body.token, "GET", "/v1/tokens/self"),
      401,
      "UNAUTHORIZED",
    );
  });

  it("give a parent's uses to at most the children it could afford, even when minting races", async () => {
    server = await createTestServer();
    const parent = await requestToken(server, server.agentKey, {
      scope: "secrets:read:t/*",
      max_uses: 2,
    });
    const minted = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestToken(current(), parent.body.token, { scope: "secrets:read:t/*" }),
      ),
    );
    const children = minted.filter((answer) => answer.statusCode === 201);
    // One mint spends one use and leaves one for its child: a second child could have none.
    expect(children).toHaveLength(1);
    expect(children[0]?.body.max_uses).toBe(1);
    for (const answer of minted.filter((each) => each.statusCode !== 201)) {
      expect([401, 403]).toContain(answer.statusCode);
    }
  });
});

describe("allowed_ips", () => {
  async function restricted(target: TestServer, allowed: string[]): Promise<string> {
    const issued = await requestToken(target, target.agentKey, {
      scope: "secrets:read:t/*",
      allowed_ips: allowed,
    });
    expect(issued.statusCode).toBe(201);
    return issued.body.token;
  }

  it("match IPv4-mapped IPv6 peers as their IPv4 address, and nothing across families", async () => {
    server = await createTestServer();
    const v4 = await restricted(server, ["10.1.2.0/24"]);
    const self = (token: string, remoteAddress: string) =>
      send(current(), token, "GET", "/v1/tokens/self", { remoteAddress });
    expect((await self(v4, "::ffff:10.1.2.3")).statusCode).toBe(200);
    expect((await self(v4, "::ffff:10.1.3.3")).statusCode).toBe(403);
    expect((await self(v4, "::ffff:a01:203")).statusCode).toBe(200);
    const loopback4 = await restricted(server, ["127.0.0.1"]);
    expect((await self(loopback4, "::1")).statusCode).toBe(403);
    const loopback6 = await restricted(server, ["::1"]);
    expect((await self(loopback6, "127.0.0.1")).statusCode).toBe(403);
    for (const odd of ["", "not-an-ip", "10.1.2.3:80", "[::1]"]) {
      expect((await self(v4, odd)).statusCode, odd).toBe(403);
    }
  });

  it("ignore spoofed forwarding headers from an untrusted peer", async () => {
    server = await createTestServer();
    const token = await restricted(server, ["10.1.2.3"]);
    for (const headers of [
      { "x-forwarded-for": "10.1.2.3" },
      { "x-forwarded-for": "10.1.2.3, 10.1.2.3" },
      { "x-real-ip": "10.1.2.3" },
      { forwarded: "for=10.1.2.3" },
      { "x-client-ip": "10.1.2.3" },
      { "true-client-ip": "10.1.2.3" },
    ]) {
      expectError(
        await send(server, token, "GET", "/v1/tokens/self", { headers }),
        403,
        "IP_NOT_ALLOWED",
      );
    }
  });

  it("take the nearest untrusted address behind a trusted proxy, not one the client prepended", async () => {
    server = await createTestServer({ trustedProxies: ["192.168.0.10"] });
    const token = await restricted(server, ["10.1.2.3"]);
    // The proxy appends the real client (6.6.6.6) to whatever the client sent.
    const spoofed = await send(server, token, "GET", "/v1/tokens/self", {
      remoteAddress: "192.168.0.10",
      headers: { "x-forwarded-for": "10.1.2.3, 6.6.6.6" },
    });
    expectError(spoofed, 403, "IP_NOT_ALLOWED");
  });

  it("ignore X-Forwarded-For over a real socket without trusted proxies", async () => {
    server = await createTestServer();
    const token = await restricted(server, ["10.1.2.3"]);
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const port = (server.app.server.address() as AddressInfo).port;
    const response = await rawRequest(port, {
      method: "GET",
      path: "/v1/tokens/self",
      headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "10.1.2.3" },
    });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe("IP_NOT_ALLOWED");
  });
});

function current(): TestServer {
  if (server === undefined) throw new Error("no server");
  return server;
}

describe("revoking a parent while children are being minted", () => {
  it("leaves no child alive, whichever request wins", async () => {
    for (let round = 0; round < 5; round += 1) {
      server = await createTestServer();
      const parent = await requestToken(server, server.agentKey, { scope: "secrets:read:t/*" });
      const target = current();
      const mints = Array.from({ length: 20 }, () =>
        requestToken(target, parent.body.token, { scope: "secrets:read:t/*" }),
      );
      const revoke = send(target, target.agentKey, "DELETE", `/v1/tokens/${parent.body.token_id}`);
      const [children, revoked] = await Promise.all([Promise.all(mints), revoke]);
      expect(revoked.statusCode).toBe(204);
      for (const child of children.filter((answer) => answer.statusCode === 201)) {
        const self = await send(target, child.body.token, "GET", "/v1/tokens/self");
        expect(self.statusCode, `round ${round}`).toBe(401);
      }
      await server.app.close();
      server = undefined;
    }
  });
});

describe("deleting an agent while it and its tokens mint tokens", () => {
  it("leaves none of its tokens alive", async () => {
    for (let round = 0; round < 5; round += 1) {
      server = await createTestServer();
      const target = current();
      const agent = await createAgent(target, ["secrets:*:*"], "doomed");
      const root = await requestToken(target, agent.agentKey, { scope: "secrets:read:t/*" });
      // Tokens of the agent's key, and children of its token, all racing the deletion.
      const mints = Array.from({ length: 20 }, (_, index) =>
        requestToken(target, index % 2 === 0 ? agent.agentKey : root.body.token, {
          scope: "secrets:read:t/*",
        }),
      );
      const deletion = send(target, target.adminKey, "DELETE", `/v1/agents/${agent.agentId}`);
      const [tokens, deleted] = await Promise.all([Promise.all(mints), deletion]);
      expect(deleted.statusCode).toBe(204);
      for (const token of tokens.filter((answer) => answer.statusCode === 201)) {
        const self = await send(target, token.body.token, "GET", "/v1/tokens/self");
        expect(self.statusCode, `round ${round}`).toBe(401);
      }
      await server.app.close();
      server = undefined;
    }
  });
});
