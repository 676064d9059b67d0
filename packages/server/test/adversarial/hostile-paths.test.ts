import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rawRequest } from "../helpers/raw-http.js";
import {
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "../helpers/test-server.js";
import { CANARY, expectClientError, expectError, send } from "./attack-helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** Paths inject() passes through unchanged (it resolves literal dot segments itself). */
const HOSTILE_ENCODED = [
  "%C0%AE%C0%AE", // overlong UTF-8 for ".."
  "a/%C0%AF/b", // overlong UTF-8 for "/"
  "a/%E0%80%AE", // 3-byte overlong "."
  "a%E2%80%A4b", // ONE DOT LEADER
  "%E2%80%A4%E2%80%A4", // looks like ".."
  "a%EF%BC%8Fb", // FULLWIDTH SOLIDUS
  "a%E2%88%95b", // DIVISION SLASH
  "a%EF%BC%8E%EF%BC%8E", // FULLWIDTH FULL STOP x2
  "%D0%B0dmin", // Cyrillic a
  "a%00b",
  "a%3Bb", // ;
  "a;b",
  "a%3Fb", // ?
  "a%23b", // #
  "a%5Cb", // backslash
  "a%2F..%2Fb",
  "a%2F.%2Fb",
  "a%252Fb", // double-encoded slash
  "a%25", // a lone percent after one decode
  "a%",
  "a%2",
  "%2Fa", // leading slash once decoded
  "a%2F", // trailing slash once decoded
  "*",
  "a/*",
  "a%2A",
  "a+b",
  "a%09b",
  "a%7Fb",
  "a%C2%85b", // NEXT LINE
  "a%E2%80%8Bb", // ZERO WIDTH SPACE
  "a%EF%BB%BFb", // BOM
  "a%ED%A0%80b", // lone surrogate, invalid UTF-8
  `${"s/".repeat(16)}s`,
  `${"x".repeat(64)}/${"y".repeat(64)}/${"z".repeat(128)}/${"w".repeat(128)}/${"v".repeat(128)}`,
];

describe("hostile paths through inject()", () => {
  it.each(HOSTILE_ENCODED)(
    "refuses %s on every secret route with a 4xx, never a 5xx",
    async (path) => {
      server = await createTestServer();
      const credential = server.adminKey;
      const attempts = [
        send(server, credential, "GET", `/v1/secrets/${path}`),
        send(server, credential, "GET", `/v1/metadata/${path}`),
        send(server, credential, "PUT", `/v1/secrets/${path}`, { payload: { value: CANARY } }),
        send(server, credential, "PATCH", `/v1/secrets/${path}`, { payload: { value: CANARY } }),
        send(server, credential, "DELETE", `/v1/secrets/${path}`),
        send(server, credential, "POST", `/v1/secrets/${path}/rotate`, {
          payload: { new_value: CANARY },
        }),
      ];
      for (const response of await Promise.all(attempts)) {
        expectClientError(response);
        expect(response.body).not.toContain(CANARY);
      }
      // Nothing was created under any spelling.
      const listing = await send(server, credential, "GET", "/v1/secrets?namespace=");
      expect(listing.json().items).toEqual([]);
    },
  );

  it("refuses a namespace query with hostile text", async () => {
    server = await createTestServer();
    for (const namespace of [
      "..",
      "a/..",
      "a//b",
      "a/",
      "%2e%2e",
      "a%00",
      "*",
      "a/*",
      "%E2%80%A4",
    ]) {
      const response = await send(
        server,
        server.adminKey,
        "GET",
        `/v1/secrets?namespace=${encodeURIComponent(namespace)}`,
      );
      expect(response.statusCode, namespace).toBe(400);
    }
  });

  it("treats an encoded slash as a separator exactly once, naming the same secret", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "team/app/key", { value: CANARY });
    const token = await requestToken(server, server.agentKey, { scope: "secrets:read:team/app/*" });
    for (const url of ["/v1/secrets/team%2Fapp%2Fkey", "/v1/secrets/team/app%2fkey"]) {
      const response = await send(server, token.body.token, "GET", url);
      expect(response.statusCode, url).toBe(200);
      expect(response.json().path).toBe("team/app/key");
    }
    // An encoded slash never lets a one-segment scope reach a deeper path.
    const narrow = await requestToken(server, server.agentKey, {
      scope: "secrets:read:team/*/key",
    });
    expectError(
      await send(server, narrow.body.token, "GET", "/v1/secrets/team/app%2Fx/key"),
      403,
      "SCOPE_DENIED",
    );
  });
});

describe("the /rotate suffix", () => {
  it("is only the action when it is the final literal segment", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "svc/rotate", { value: `${CANARY}-named-rotate` });
    await putSecret(server, server.adminKey, "svc", { value: `${CANARY}-svc` });
    const notActions = [
      "/v1/secrets/svc%2Frotate",
      "/v1/secrets/svc/ROTATE",
      "/v1/secrets/svc/%72otate",
      "/v1/secrets/svc/rotate%2F",
      "/v1/secrets/rotate",
      "/v1/secrets/svc/rotate/",
    ];
    for (const url of notActions) {
      const response = await send(server, server.adminKey, "POST", url, {
        payload: { new_value: "rotated-by-mistake" },
      });
      expectClientError(response);
    }
    const metadata = await send(server, server.adminKey, "GET", "/v1/metadata/svc");
    expect(metadata.json().version).toBe(1);
    // `…/rotate/rotate` rotates the secret named `svc/rotate`, not `svc`.
    const rotated = await send(server, server.adminKey, "POST", "/v1/secrets/svc/rotate/rotate", {
      payload: { new_value: "rotated-value" },
    });
    expect(rotated.json()).toMatchObject({ path: "svc/rotate", new_version: 2 });
    expect((await send(server, server.adminKey, "GET", "/v1/metadata/svc")).json().version).toBe(1);
  });

  it("needs write on the rotated path itself, not on the path ending in rotate", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "app", { value: CANARY });
    await putSecret(server, server.adminKey, "app/rotate", { value: CANARY });
    const below = await requestToken(server, server.agentKey, { scope: "secrets:write:app/*" });
    expectError(
      await send(server, below.body.token, "POST", "/v1/secrets/app/rotate", {
        payload: { new_value: "x-new" },
      }),
      403,
      "SCOPE_DENIED",
    );
    const response = await send(server, below.body.token, "POST", "/v1/secrets/app/rotate/rotate", {
      payload: { new_value: "x-new" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().path).toBe("app/rotate");
  });
});

describe("hostile paths over a real socket", () => {
  async function listen(target: TestServer): Promise<number> {
    await target.app.listen({ port: 0, host: "127.0.0.1" });
    return (target.app.server.address() as AddressInfo).port;
  }

  it("never resolves dot segments, backslashes or stray characters that inject() would touch", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "b", { value: CANARY });
    await putSecret(server, server.adminKey, "a/b", { value: CANARY });
    const port = await listen(server);
    const paths = [
      "/v1/secrets/a/../b",
      "/v1/secrets/a/./b",
      "/v1/secrets/../secrets/b",
      "/v1/secrets/a/%2e%2e/b",
      "/v1/secrets/a/.%2e/b",
      "/v1/secrets/a\\b",
      "/v1/secrets/a\\..\\b",
      "/v1/secrets//a/b",
      "/v1/secrets/a/b#x",
      "/v1/metadata/a/../b",
      "/v1/secrets/a/b/../../b",
    ];
    for (const path of paths) {
      const response = await rawRequest(port, {
        method: "GET",
        path,
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(response.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, path).toBeLessThan(500);
      expect(response.body, path).not.toContain(CANARY);
    }
    // Escaping the /v1/secrets/ prefix into another route does not work either.
    const outOfPrefix = await rawRequest(port, {
      method: "GET",
      path: "/v1/secrets/../audit",
      headers: { authorization: `Bearer ${server.agentKey}` },
    });
    expect(outOfPrefix.statusCode).toBe(400);
  });

  it("answers a very long URL with a 4xx, not a crash", async () => {
    server = await createTestServer();
    const port = await listen(server);
    // Beyond Node's 16 KiB header limit the HTTP parser answers 431 (or resets) before Fastify.
    for (const length of [600, 5_000, 15_000]) {
      const response = await rawRequest(port, {
        method: "GET",
        path: `/v1/secrets/${"a".repeat(length)}`,
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(response.statusCode, String(length)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, String(length)).toBeLessThan(500);
    }
    const health = await rawRequest(port, { method: "GET", path: "/v1/health" });
    expect(health.statusCode).toBe(200);
  });
});
