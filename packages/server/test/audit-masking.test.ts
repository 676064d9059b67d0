import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskAuditContent } from "../src/audit/mask-audit-content.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// A credential pasted into an audited field (a namespace, a path, a request id, a scope) is
// masked before the event is written: the audit log, its backups and `ass audit` never hold it.

let server: TestServer;
/** One live credential of each format, plus an upper-cased spelling (the pattern is any case). */
let credentials: Record<string, string>;
beforeAll(async () => {
  server = await createTestServer();
  const minted = await requestToken(server, server.agentKey, { scope: "secrets:read:prod/*" });
  expect(minted.statusCode).toBe(201);
  credentials = {
    "agent key": server.agentKey,
    "admin key": server.adminKey,
    token: minted.body.token,
    "upper-cased agent key": server.agentKey.toUpperCase(),
  };
});
afterAll(async () => {
  await server?.app.close();
});

async function auditText(): Promise<string> {
  const response = await getWith(server, server.adminKey, "/v1/audit?limit=500");
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** The credential's body, the part that must never be stored (its prefix may stay). */
function bodyOf(credential: string): string {
  return credential.replace(/^(ass_live_|ass_admin_|ast_tok_)/i, "");
}

describe("credentials in audited fields", () => {
  it("are masked in ?namespace=, secret paths, required scopes, request ids and token scopes", async () => {
    const narrowKey = await createNarrowAgent();
    for (const [kind, credential] of Object.entries(credentials)) {
      // A listing's namespace (secret.read, path) and a denied one (required_scope detail).
      const listed = await getWith(server, server.agentKey, `/v1/secrets?namespace=${credential}`);
      expect(listed.statusCode, `${kind}: ${listed.body}`).toBe(200);
      const denied = await getWith(server, narrowKey, `/v1/secrets?namespace=prod/${credential}`);
      expect(denied.statusCode, kind).toBe(403);
      // A secret path (secret.write) and a request id given by the client.
      const written = await putSecret(server, server.agentKey, `prod/${credential}`, {
        value: "canary-value-mask",
      });
      expect(written.statusCode, `${kind}: ${written.body}`).toBeLessThan(300);
      const withId = await getWith(server, server.agentKey, "/v1/secrets?namespace=prod", {
        headers: { "x-request-id": credential },
      });
      expect(withId.statusCode, kind).toBe(200);
      // A token's scopes (token.issued detail).
      const issued = await requestToken(server, server.agentKey, {
        scope: `secrets:read:prod/${credential}`,
      });
      expect(issued.statusCode, `${kind}: ${JSON.stringify(issued.body)}`).toBe(201);
    }
    const audit = await auditText();
    for (const [kind, credential] of Object.entries(credentials)) {
      expect(audit, kind).not.toContain(bodyOf(credential));
      expect(audit.toLowerCase(), kind).not.toContain(bodyOf(credential).toLowerCase());
    }
    expect(audit).toContain("ass_live_[redacted]");
    expect(audit).toContain("ass_admin_[redacted]");
    expect(audit).toContain("ast_tok_[redacted]");
    // The masked events still chain and verify.
    const verified = await getWith(server, server.adminKey, "/v1/audit/verify");
    expect(verified.json().ok).toBe(true);
  });
});

/** The key of an agent allowed only secrets:read:other/*, so that a listing under prod is denied. */
async function createNarrowAgent(): Promise<string> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/agents",
    headers: bearer(server.adminKey),
    payload: { name: "narrow", allowed_scopes: ["secrets:read:other/*"] },
  });
  expect(response.statusCode).toBe(201);
  return response.json().api_key;
}

describe("maskAuditContent", () => {
  it("masks every text field and the detail's keys and values, and keeps ids and the instant", () => {
    const secret = `ass_live_${"q".repeat(12)}`;
    const masked = maskAuditContent({
      id: "evt_1",
      at: "2026-01-15T10:00:00.000Z",
      tenantId: "ten_1",
      event: "secret.read",
      actorType: "agent",
      actorId: "agt_1",
      tokenId: null,
      path: `prod/${secret}`,
      version: 1,
      ip: "127.0.0.1",
      outcome: "success",
      requestId: secret,
      detail: { [secret]: secret, count: 2 },
    });
    expect(JSON.stringify(masked)).not.toContain("q".repeat(12));
    expect(masked.path).toBe("prod/ass_live_[redacted]");
    expect(masked.detail).toEqual({ "ass_live_[redacted]": "ass_live_[redacted]", count: 2 });
    expect([masked.id, masked.at, masked.tenantId, masked.version]).toEqual([
      "evt_1",
      "2026-01-15T10:00:00.000Z",
      "ten_1",
      1,
    ]);
  });

  const plain = {
    id: "evt_2",
    at: "2026-01-15T10:00:00.000Z",
    tenantId: "ten_1",
    event: "secret.read",
    actorType: "agent",
    actorId: "agt_1",
    tokenId: "tok_1",
    path: "production/openai/api-key",
    version: 1,
    ip: "127.0.0.1",
    outcome: "success",
    requestId: "req_1",
    detail: { kind: "value", uses: 3 },
  };

  it("gives an event that holds no credential back as it is", () => {
    expect(maskAuditContent(plain)).toBe(plain);
  });

  it("masks a credential wherever it is alone: one field, a detail key, a detail value, any case", () => {
    const secret = `AST_TOK_${"w".repeat(12)}`;
    const cases = [
      { ...plain, outcome: `x${secret}` },
      { ...plain, detail: { [secret]: 1 } },
      { ...plain, detail: { note: `glued${secret}` } },
    ];
    for (const event of cases) {
      const masked = maskAuditContent(event);
      expect(masked).not.toBe(event);
      expect(JSON.stringify(masked)).not.toContain("w".repeat(12));
      expect(JSON.stringify(masked)).toContain("AST_TOK_[redacted]");
    }
  });
});
