import { afterEach, describe, expect, it } from "vitest";
import {
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "../helpers/test-server.js";
import { CANARY, expectClientError, send } from "./attack-helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

type Attempt = {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
};

async function expectAllRefused(target: TestServer, credential: string, attempts: Attempt[]) {
  for (const attempt of attempts) {
    const response = await send(target, credential, attempt.method, attempt.url, {
      ...(attempt.payload === undefined ? {} : { payload: attempt.payload }),
      ...(attempt.headers === undefined ? {} : { headers: attempt.headers }),
    });
    const label = `${attempt.method} ${attempt.url} ${JSON.stringify(attempt.payload)?.slice(0, 80)} ${JSON.stringify(attempt.headers)}`;
    expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
    expect(response.statusCode, label).toBeLessThan(500);
    expectClientError(response);
    expect(response.body, label).not.toContain(CANARY);
  }
}

const json = { "content-type": "application/json" };

describe("bodies that are not what they claim", () => {
  it("answers wrong content types and non-object JSON with a 4xx", async () => {
    server = await createTestServer();
    const bodies: { payload: string; headers: Record<string, string> }[] = [
      {
        payload: `value=${CANARY}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      { payload: CANARY, headers: { "content-type": "text/plain" } },
      { payload: `{"value":"${CANARY}"}`, headers: { "content-type": "text/plain" } },
      {
        payload: `--b\r\ncontent-disposition: form-data; name="value"\r\n\r\n${CANARY}\r\n--b--`,
        headers: { "content-type": "multipart/form-data; boundary=b" },
      },
      { payload: `{"value":"${CANARY}"}`, headers: { "content-type": "application/xml" } },
      { payload: `{"value":"${CANARY}"`, headers: json },
      { payload: `{"value":"${CANARY}",}`, headers: json },
      { payload: `{'value':'${CANARY}'}`, headers: json },
      { payload: "[]", headers: json },
      { payload: `["${CANARY}"]`, headers: json },
      { payload: `"${CANARY}"`, headers: json },
      { payload: "null", headers: json },
      { payload: "123", headers: json },
      { payload: "true", headers: json },
      { payload: "", headers: json },
      { payload: "\uFEFF{}", headers: json },
    ];
    await expectAllRefused(
      server,
      server.adminKey,
      bodies.map(({ payload, headers }) => ({
        method: "PUT",
        url: "/v1/secrets/in/body",
        payload,
        headers,
      })),
    );
    const listing = await send(server, server.adminKey, "GET", "/v1/secrets?namespace=in");
    expect(listing.json().items).toEqual([]);
  });

  it("refuses prototype pollution, misspelt and duplicated tier fields without a silent downgrade", async () => {
    server = await createTestServer();
    const payloads = [
      `{"value":"${CANARY}","__proto__":{"tier":"standard"}}`,
      `{"value":"${CANARY}","constructor":{"prototype":{"tier":"standard"}}}`,
      `{"value":"${CANARY}","tags":{"__proto__":{"x":"y"}}}`,
      `{"value":"${CANARY}","tier":"critical","teir":"standard"}`,
      `{"value":"${CANARY}","tier":"critical","access_tier":"standard"}`,
      `{"value":"${CANARY}","tier":"Critical"}`,
      `{"value":"${CANARY}","tier":"critical "}`,
      `{"value":"${CANARY}","tier":["critical"]}`,
      `{"value":"${CANARY}","tier":1}`,
      `{"value":["${CANARY}"]}`,
      `{"value":{"nested":"${CANARY}"}}`,
      `{"value":123}`,
      `{"value":""}`,
      `{"value":"${CANARY}","tags":{"k":1}}`,
      `{"value":"${CANARY}","tags":{"":"empty key"}}`,
      `{"value":"${CANARY}","tags":["a"]}`,
      `{"value":"${CANARY}","expires_at":"tomorrow"}`,
      `{"value":"${CANARY}","expires_at":1767225600}`,
    ];
    await expectAllRefused(
      server,
      server.adminKey,
      payloads.map((payload) => ({
        method: "PUT",
        url: "/v1/secrets/proto/x",
        payload,
        headers: json,
      })),
    );
    expect(({} as Record<string, unknown>).tier).toBeUndefined();
    // A duplicated key is plain JSON (the last one wins); it never crashes and never mixes tiers.
    const duplicated = await send(server, server.adminKey, "PUT", "/v1/secrets/proto/dup", {
      payload: `{"value":"${CANARY}","tier":"standard","tier":"critical"}`,
      headers: json,
    });
    expect(duplicated.statusCode).toBe(201);
    expect(duplicated.json().tier).toBe("critical");
  });

  it("survives deep nesting and wide objects with a 4xx", async () => {
    server = await createTestServer();
    const depth = 50_000;
    const deep = `{"value":"x","tags":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const wideTags = Object.fromEntries(
      Array.from({ length: 5000 }, (_, index) => [`k${index}`, "v"]),
    );
    const wideBody = JSON.stringify({
      value: "x",
      ...Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`f${index}`, 1])),
    });
    await expectAllRefused(server, server.adminKey, [
      { method: "PUT", url: "/v1/secrets/deep/x", payload: deep, headers: json },
      { method: "PUT", url: "/v1/secrets/deep/x", payload: { value: "x", tags: wideTags } },
      { method: "PUT", url: "/v1/secrets/deep/x", payload: wideBody, headers: json },
      {
        method: "POST",
        url: "/v1/tokens",
        payload: `{"scope":${"[".repeat(depth)}${"]".repeat(depth)}}`,
        headers: json,
      },
      {
        method: "POST",
        url: "/v1/tokens",
        payload: { scopes: Array.from({ length: 1000 }, (_, index) => `secrets:read:s${index}`) },
      },
      {
        method: "POST",
        url: "/v1/tokens",
        payload: {
          scope: "secrets:read:a",
          allowed_ips: Array.from({ length: 1000 }, () => "10.0.0.1"),
        },
      },
      {
        method: "POST",
        url: "/v1/secrets/import",
        payload: { namespace: "imp", content: `${"A=1\n".repeat(1)}${"=\n".repeat(10_000)}` },
      },
    ]);
    const big = await send(server, server.adminKey, "PUT", "/v1/secrets/deep/big", {
      payload: JSON.stringify({ value: "x".repeat(2 * 1024 * 1024) }),
      headers: json,
    });
    expect(big.statusCode).toBe(413);
    expect((await send(server, server.adminKey, "GET", "/v1/health")).statusCode).toBe(200);
  });
});

describe("numbers in every wrong shape", () => {
  it("refuses strings, negatives, fractions and huge values for token fields", async () => {
    server = await createTestServer();
    const bad: Record<string, unknown>[] = [
      { ttl_seconds: "60" },
      { ttl_seconds: -1 },
      { ttl_seconds: 0 },
      { ttl_seconds: 1.5 },
      { ttl_seconds: 86_401 },
      { ttl_seconds: 1e20 },
      { ttl_seconds: Number.MAX_SAFE_INTEGER + 1 },
      { ttl: "-1s" },
      { ttl: "1.5h" },
      { ttl: "1w" },
      { ttl: "999999999d" },
      { ttl: " 1h" },
      { ttl: "1H" },
      { ttl: "0x10" },
      { ttl: "" },
      { ttl: 1e300 },
      { max_uses: 0 },
      { max_uses: -1 },
      { max_uses: 1.5 },
      { max_uses: "1" },
      { max_uses: 1e20 },
      { max_uses: true },
      { description: 5 },
      { allowed_ips: "10.0.0.1" },
      { allowed_ips: [] },
      { allowed_ips: ["10.0.0.1/33"] },
      { allowed_ips: ["fe80::1%eth0"] },
      { allowed_ips: ["10.0.0.1 "] },
      { allowed_ips: ["010.0.0.1"] },
      { ttl_seconds: 60, ttl: "2m" },
    ];
    await expectAllRefused(
      server,
      server.agentKey,
      bad.map((extra) => ({
        method: "POST",
        url: "/v1/tokens",
        payload: { scope: "secrets:read:n/*", ...extra },
      })),
    );
  });

  it("refuses bad limits, versions, cursors, grace periods and waits", async () => {
    server = await createTestServer();
    await putSecret(server, server.adminKey, "n/key", { value: CANARY });
    const urls = [
      "/v1/secrets?namespace=n&limit=0",
      "/v1/secrets?namespace=n&limit=-1",
      "/v1/secrets?namespace=n&limit=201",
      "/v1/secrets?namespace=n&limit=1.5",
      "/v1/secrets?namespace=n&limit=abc",
      "/v1/secrets?namespace=n&limit=1e400",
      "/v1/secrets?namespace=n&limit=1&limit=2",
      "/v1/secrets?namespace=n&namespace=m",
      "/v1/secrets?namespace=n&cursor=%00",
      `/v1/secrets?namespace=n&cursor=${"A".repeat(2000)}`,
      "/v1/secrets?namespace=n&cursor=Li4v",
      "/v1/secrets?namespace=n&unknown=1",
      "/v1/secrets/n/key?version=0",
      "/v1/secrets/n/key?version=-1",
      "/v1/secrets/n/key?version=1.5",
      "/v1/secrets/n/key?version=1e30",
      "/v1/secrets/n/key?version=99999999999999999999",
      "/v1/secrets/n/key?version=1&version=2",
      "/v1/secrets/n/key?version=%00",
      "/v1/approvals?limit=0",
      "/v1/approvals?status=PENDING",
      "/v1/approvals?cursor=not-base64-json",
      "/v1/approvals/apr_x?wait=-1",
      "/v1/approvals/apr_x?wait=61",
      "/v1/approvals/apr_x?wait=1e9",
      "/v1/audit?limit=501",
      "/v1/audit?cursor=0",
      "/v1/audit?cursor=-5",
      "/v1/audit?cursor=99999999999999999999",
    ];
    await expectAllRefused(
      server,
      server.adminKey,
      urls.map((url) => ({ method: "GET", url })),
    );
    await expectAllRefused(
      server,
      server.adminKey,
      [-1, 1.5, "60", 30 * 86_400 + 1, 1e20].map((grace_period_seconds) => ({
        method: "POST",
        url: "/v1/secrets/n/key/rotate",
        payload: { new_value: CANARY, grace_period_seconds },
      })),
    );
    const metadata = await send(server, server.adminKey, "GET", "/v1/metadata/n/key");
    expect(metadata.json().version).toBe(1);
  });
});

describe("hostile headers", () => {
  it("refuses bad If-Match and Idempotency-Key headers before writing", async () => {
    server = await createTestServer();
    const headerSets: Record<string, string>[] = [
      { "if-match": "abc" },
      { "if-match": "-1" },
      { "if-match": "1,2" },
      { "if-match": "*" },
      { "if-match": "9999999999" },
      { "if-match": "1.0" },
      { "if-match": "" },
      { "idempotency-key": "k".repeat(256) },
      { "idempotency-key": "" },
      { "idempotency-key": "caf\u00e9" },
      { "idempotency-key": "a b" },
    ];
    await expectAllRefused(
      server,
      server.adminKey,
      headerSets.map((headers) => ({
        method: "PUT",
        url: "/v1/secrets/hdr/x",
        payload: { value: CANARY },
        headers,
      })),
    );
    expect(
      (await send(server, server.adminKey, "GET", "/v1/secrets?namespace=hdr")).json().items,
    ).toEqual([]);
  });

  it("answers credentials in odd places and shapes with 401, and never reads a Basic header as a key", async () => {
    server = await createTestServer();
    const odd: Record<string, string>[] = [
      { authorization: `Basic ${Buffer.from(`user:${server.agentKey}`).toString("base64")}` },
      { authorization: `Token ${server.agentKey}` },
      { authorization: `Bearer ${server.agentKey} extra` },
      { authorization: `Bearer ${server.agentKey.toUpperCase()}` },
      { authorization: `Bearer ${server.agentKey.slice(0, -1)}` },
      { authorization: `Bearer ${server.agentKey}=` },
      { authorization: "Bearer ass_admin_", "x-agent-key": server.agentKey },
      { cookie: `token=${server.agentKey}` },
      { "x-api-key": server.agentKey },
    ];
    for (const headers of odd) {
      const response = await send(server, null, "GET", "/v1/secrets?namespace=", { headers });
      expect(response.statusCode, JSON.stringify(headers).slice(0, 60)).toBe(401);
    }
    const inQuery = await send(
      server,
      null,
      "GET",
      `/v1/secrets?namespace=&token=${server.agentKey}`,
    );
    expect(inQuery.statusCode).toBeGreaterThanOrEqual(400);
    expect(inQuery.statusCode).toBeLessThan(500);
    expect(inQuery.body).not.toContain(server.agentKey);
  });

  it("accepts a token only for the request it was made for, not after a stray newline", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, { scope: "secrets:read:x/*" });
    const response = await send(server, null, "GET", "/v1/tokens/self", {
      headers: { "x-agent-key": `${token.body.token}\t` },
    });
    // Trimmed whitespace around the header is fine; the credential itself is matched exactly.
    expect(response.statusCode).toBe(200);
    const doubled = await send(server, null, "GET", "/v1/tokens/self", {
      headers: { "x-agent-key": `${token.body.token}${token.body.token}` },
    });
    expect(doubled.statusCode).toBe(401);
  });
});
