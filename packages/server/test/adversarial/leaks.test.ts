import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createAdmin } from "../helpers/approvals.js";
import {
  createAgent,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "../helpers/test-server.js";
import { CANARY, send } from "./attack-helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** A server whose every log line, at trace level, lands in `lines`. */
async function loggedServer(): Promise<{ target: TestServer; logs: () => string }> {
  let captured = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      captured += String(chunk);
      done();
    },
  });
  const target = await createTestServer({ logger: { level: "trace", stream } });
  return { target, logs: () => captured };
}

function expectAbsent(haystack: string, needles: string[], where: string): void {
  for (const needle of needles) {
    expect(haystack.includes(needle), `${needle.slice(0, 14)}… in ${where}`).toBe(false);
    expect(
      haystack.includes(Buffer.from(needle).toString("base64")),
      `${needle.slice(0, 14)}… (base64) in ${where}`,
    ).toBe(false);
  }
}

describe("credentials sent where ids belong", () => {
  it("are never echoed in error messages", async () => {
    server = await createTestServer();
    const token = await requestToken(server, server.agentKey, { scope: "secrets:read:x/*" });
    const agent = await createAgent(server, ["secrets:read:x/*"], "echo");
    const admin = await createAdmin(server, "echo-admin");
    const mistakes = [
      { url: `/v1/tokens/${token.body.token}`, method: "DELETE", secret: token.body.token },
      { url: `/v1/agents/${agent.agentKey}`, method: "DELETE", secret: agent.agentKey },
      { url: `/v1/admins/${admin.adminKey}`, method: "DELETE", secret: admin.adminKey },
      { url: `/v1/approvals/${token.body.token}`, method: "GET", secret: token.body.token },
      { url: `/v1/approvals/${agent.agentKey}/cancel`, method: "POST", secret: agent.agentKey },
    ] as const;
    for (const mistake of mistakes) {
      const response = await send(server, server.adminKey, mistake.method, mistake.url);
      expect(response.statusCode, mistake.url.slice(0, 20)).toBe(404);
      expectAbsent(
        response.body,
        [mistake.secret],
        `${mistake.method} ${mistake.url.slice(0, 20)}…`,
      );
    }
  });
});

describe("values and credentials", () => {
  it("never reach a log line, an error body or the audit log, whatever goes wrong", async () => {
    const { target, logs } = await loggedServer();
    server = target;
    const bodies: string[] = [];
    const record = async (response: Promise<{ body: string }>) => {
      bodies.push((await response).body);
    };
    await putSecret(target, target.adminKey, "leak/one", { value: CANARY });
    const token = await requestToken(target, target.agentKey, { scope: "secrets:read:leak/*" });
    const agent = await createAgent(target, ["secrets:read:leak/one"], "leaky");
    const json = { "content-type": "application/json" };
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: `{"value":"${CANARY}-broken`,
        headers: json,
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: { value: `${CANARY}-typo`, teir: "critical" },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: { value: `${CANARY}-tier`, tier: `${CANARY}-tier` },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: { value: `${CANARY}-${"x".repeat(70_000)}` },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: { value: `${CANARY}-expiry`, expires_at: `${CANARY}-when` },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/two", {
        payload: { value: `${CANARY}-tags`, tags: { key: `${CANARY}${"t".repeat(2000)}` } },
      }),
    );
    await record(
      send(target, target.adminKey, "POST", "/v1/secrets/leak/one/rotate", {
        payload: { new_value: `${CANARY}-rotate`, grace_period_seconds: "soon" },
      }),
    );
    await record(
      send(target, target.adminKey, "PATCH", "/v1/secrets/leak/missing", {
        payload: { value: `${CANARY}-patch` },
      }),
    );
    await record(
      send(target, target.adminKey, "POST", "/v1/secrets", {
        payload: { path: "leak/one", value: `${CANARY}-legacy` },
      }),
    );
    await record(
      send(target, target.adminKey, "POST", "/v1/secrets/import", {
        payload: {
          namespace: "leak",
          content: `GOOD=${CANARY}-env\nBAD LINE ${CANARY}\nQUOTED="${CANARY}-unterminated\nEMPTY=`,
        },
      }),
    );
    await record(
      send(target, agent.agentKey, "PUT", "/v1/secrets/leak/one", {
        payload: { value: `${CANARY}-denied` },
      }),
    );
    // Credentials where ids or query values belong: echoed nowhere, logged nowhere.
    await record(
      send(target, token.body.token, "GET", `/v1/secrets/leak/one?version=${token.body.token}`),
    );
    await record(
      send(target, token.body.token, "GET", `/v1/secrets?namespace=leak&cursor=${agent.agentKey}`),
    );
    await record(send(target, null, "GET", `/v1/secrets/leak/one?token=${token.body.token}`));
    await record(
      send(target, token.body.token, "POST", "/v1/tokens", {
        payload: { scope: "secrets:read:elsewhere/*", description: `${CANARY}-description` },
      }),
    );
    await record(send(target, `${token.body.token}x`, "GET", "/v1/secrets/leak/one"));
    await record(send(target, target.adminKey, "DELETE", `/v1/tokens/${token.body.token}`));
    // A non-admin on an admin route is audited with the endpoint it called.
    await record(send(target, token.body.token, "DELETE", `/v1/agents/${target.agentKey}`));
    await record(send(target, target.adminKey, "GET", `/v1/approvals/${agent.agentKey}`));
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/idem", {
        payload: { value: `${CANARY}-idem` },
        headers: { "idempotency-key": "k1" },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/idem", {
        payload: { value: `${CANARY}-idem-other` },
        headers: { "idempotency-key": "k1" },
      }),
    );
    await record(
      send(target, target.adminKey, "PUT", "/v1/secrets/leak/idem", {
        payload: { value: `${CANARY}-cas` },
        headers: { "if-match": "7" },
      }),
    );
    // A legitimate read returns the value once; nothing else should carry it.
    const read = await send(target, token.body.token, "GET", "/v1/secrets/leak/one");
    expect(read.json().value).toBe(CANARY);
    const audit = (await send(target, target.adminKey, "GET", "/v1/audit?limit=500")).body;
    const secrets = [CANARY, token.body.token, agent.agentKey, target.agentKey, target.adminKey];
    expectAbsent(bodies.join("\n"), secrets, "error bodies");
    expectAbsent(audit, secrets, "the audit log");
    expect(logs()).toContain("request completed");
    expectAbsent(logs(), secrets, "the logs");
  });
});

describe("the OpenAPI document", () => {
  it("holds no example that looks like a real credential or provider key", async () => {
    server = await createTestServer();
    const document = (await send(server, null, "GET", "/v1/openapi.json")).body;
    expect(document).not.toMatch(/ass_(live|admin)_[A-Za-z0-9_-]{20,}/);
    expect(document).not.toMatch(/ast_tok_[A-Za-z0-9_-]{20,}/);
    expect(document).not.toMatch(/sk-[A-Za-z0-9_-]{20,}/);
    expect(document).not.toContain(server.adminKey);
    expect(document).not.toContain(server.agentKey);
  });
});
