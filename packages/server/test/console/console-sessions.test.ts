import { readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../../src/create-server.js";
import { deleteAdmin as deleteAdminApproved } from "../helpers/approvals.js";
import { freshDatabaseConfig } from "../helpers/test-database.js";
import {
  bearer,
  createAgent,
  createTestServer,
  type TestServer,
  UNTHROTTLED,
} from "../helpers/test-server.js";
import { sessionCookieFrom, signIn } from "./console-helpers.js";

let server: TestServer;
afterEach(async () => {
  await server?.app.close();
});

/** `GET /v1/approvals` with only a session cookie: what a console page's script does. */
function listApprovalsWith(cookie: string) {
  return server.app.inject({ method: "GET", url: "/v1/approvals", headers: { cookie } });
}

async function createAdmin(name: string): Promise<{ id: string; key: string }> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/admins",
    headers: bearer(server.adminKey),
    payload: { name },
  });
  const body = response.json() as { admin_id: string; api_key: string };
  return { id: body.admin_id, key: body.api_key };
}

describe("console sign-in", () => {
  it("exchanges an admin key for an HttpOnly, SameSite=Strict cookie holding only a random id", async () => {
    server = await createTestServer();
    const response = await server.app.inject({
      method: "POST",
      url: "/console/session",
      headers: bearer(server.adminKey),
    });
    expect(response.statusCode).toBe(201);
    const setCookie = String(response.headers["set-cookie"]);
    expect(setCookie).toMatch(/^ass_console_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Secure"); // plain HTTP here; over TLS: the next test
    expect(setCookie).not.toContain(server.adminKey);
    expect(response.body).not.toContain(server.adminKey);
  });

  it("marks the cookie Secure when served over TLS", async () => {
    const fixtures = join(import.meta.dirname, "..", "fixtures", "tls");
    const [cert, key] = await Promise.all([
      readFile(join(fixtures, "test-only-cert.pem")),
      readFile(join(fixtures, "test-only-key.pem")),
    ]);
    server = await createTestServer({ tls: { cert, key } });
    await server.app.listen({ host: "127.0.0.1", port: 0 });
    const address = server.app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const setCookie = await new Promise<string>((resolve, reject) => {
      const request = httpsRequest(
        `https://127.0.0.1:${address.port}/console/session`,
        { method: "POST", ca: cert, headers: bearer(server.adminKey) },
        (response) => {
          response.resume();
          resolve(String(response.headers["set-cookie"]));
        },
      );
      request.on("error", reject);
      request.end();
    });
    expect(setCookie).toMatch(/^ass_console_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("HttpOnly");
  });

  it("refuses agent keys and unknown admin keys", async () => {
    server = await createTestServer();
    const agent = await server.app.inject({
      method: "POST",
      url: "/console/session",
      headers: bearer(server.agentKey),
    });
    expect(agent.statusCode).toBe(403);
    expect(agent.headers["set-cookie"]).toBeUndefined();
    const unknown = await server.app.inject({
      method: "POST",
      url: "/console/session",
      headers: bearer(`ass_admin_${"A".repeat(43)}`),
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe("UNAUTHORIZED");
  });

  it("limits failed sign-ins per address like failed authentication, and records them", async () => {
    server = await createTestServer({
      rateLimits: { ...UNTHROTTLED, failedAuth: { points: 3, durationSeconds: 60 } },
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await server.app.inject({
        method: "POST",
        url: "/console/session",
        headers: bearer(`ass_admin_${String(attempt).repeat(43)}`),
        remoteAddress: "192.0.2.7",
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const audit = await server.app.inject({
      method: "GET",
      url: "/v1/audit?event=auth.failed",
      headers: bearer(server.adminKey),
    });
    expect((audit.json() as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(3);
  });

  it("serves the pages with a strict CSP, no framing and no inline script", async () => {
    server = await createTestServer();
    const page = await server.app.inject({ method: "GET", url: "/console/sign-in" });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.body).toContain('<label for="admin-key">Admin key</label>');
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.body).not.toMatch(/\sstyle=|\son[a-z]+=/);
  });

  it("sends signed-out visitors of a page to the sign-in page", async () => {
    server = await createTestServer();
    const page = await server.app.inject({ method: "GET", url: "/console/approvals" });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/console/sign-in");
    const root = await server.app.inject({ method: "GET", url: "/console" });
    expect(root.headers.location).toBe("/console/sign-in");
  });
});

describe("console sessions against the API", () => {
  it("act as the admin who signed in, with the CSRF token on every state-changing request", async () => {
    server = await createTestServer();
    const { cookie, csrfToken } = await signIn(server);
    const list = await server.app.inject({
      method: "GET",
      url: "/v1/approvals?status=pending",
      headers: { cookie },
    });
    expect(list.statusCode).toBe(200);
    const forged = await server.app.inject({
      method: "POST",
      url: "/v1/approvals/apr_nothing/deny",
      headers: { cookie, origin: "https://evil.example" },
      payload: {},
    });
    expect(forged.statusCode).toBe(401);
    const wrongToken = await server.app.inject({
      method: "POST",
      url: "/v1/approvals/apr_nothing/deny",
      headers: { cookie, "x-csrf-token": `${csrfToken.slice(0, -1)}x` },
      payload: {},
    });
    expect(wrongToken.statusCode).toBe(401);
    const withToken = await server.app.inject({
      method: "POST",
      url: "/v1/approvals/apr_nothing/deny",
      headers: { cookie, "x-csrf-token": csrfToken },
      payload: {},
    });
    // Past authentication: the request does not exist.
    expect(withToken.statusCode).toBe(404);
    const audit = await server.app.inject({
      method: "GET",
      url: "/v1/audit?event=auth.failed",
      headers: bearer(server.adminKey),
    });
    const reasons = (audit.json() as { items: { detail?: { reason?: string } }[] }).items.map(
      (event) => event.detail?.reason,
    );
    expect(reasons).toContain("session_csrf_token");
  });

  it("never read a value or mint a token: Reveal sends the admin key again", async () => {
    server = await createTestServer();
    await server.app.inject({
      method: "PUT",
      url: "/v1/secrets/team/db-password",
      headers: bearer(server.adminKey),
      payload: { value: "canary-value-123" },
    });
    const { cookie, csrfToken } = await signIn(server);
    const read = await server.app.inject({
      method: "GET",
      url: "/v1/secrets/team/db-password",
      headers: { cookie },
    });
    expect(read.statusCode).toBe(401);
    expect(read.body).not.toContain("canary-value-123");
    const token = await server.app.inject({
      method: "POST",
      url: "/v1/tokens",
      headers: { cookie, "x-csrf-token": csrfToken },
      payload: { scope: "secrets:read:team/*" },
    });
    expect(token.statusCode).toBe(401);
    const metadata = await server.app.inject({
      method: "GET",
      url: "/v1/metadata/team/db-password",
      headers: { cookie },
    });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.body).not.toContain("canary-value-123");
  });

  it("end after the idle limit and after the absolute limit however busy", async () => {
    server = await createTestServer({
      console: { idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 1800 },
    });
    const idle = await signIn(server);
    server.clock.advance(599);
    const stillThere = await listApprovalsWith(idle.cookie);
    expect(stillThere.statusCode).toBe(200);
    server.clock.advance(601);
    const idleOut = await listApprovalsWith(idle.cookie);
    expect(idleOut.statusCode).toBe(401);
    const page = await server.app.inject({
      method: "GET",
      url: "/console/approvals",
      headers: { cookie: idle.cookie },
    });
    expect(page.headers.location).toBe("/console/sign-in?notice=ended");

    const busy = await signIn(server);
    for (let minute = 0; minute < 29; minute += 1) {
      server.clock.advance(60);
      const response = await listApprovalsWith(busy.cookie);
      expect(response.statusCode).toBe(200);
    }
    server.clock.advance(61);
    const absoluteOut = await listApprovalsWith(busy.cookie);
    expect(absoluteOut.statusCode).toBe(401);
  });

  it("end at sign-out on the server: the same cookie, replayed, is refused", async () => {
    server = await createTestServer();
    const { cookie, csrfToken } = await signIn(server);
    const withoutToken = await server.app.inject({
      method: "POST",
      url: "/console/sign-out",
      headers: { cookie },
    });
    expect(withoutToken.statusCode).toBe(401);
    expect(withoutToken.json().error.message).toContain("CSRF token");
    const signOut = await server.app.inject({
      method: "POST",
      url: "/console/sign-out",
      headers: { cookie, "x-csrf-token": csrfToken },
    });
    expect(signOut.statusCode).toBe(204);
    expect(String(signOut.headers["set-cookie"])).toMatch(/ass_console_session=;/);
    const replayed = await listApprovalsWith(cookie);
    expect(replayed.statusCode).toBe(401);
  });

  it("end when their admin is deleted", async () => {
    server = await createTestServer();
    const second = await createAdmin("second approver");
    const { cookie } = await signIn(server, second.key);
    // Two admins: the deletion is a two-person action, agreed to with the second's key.
    const deleted = await deleteAdminApproved(server, second.id, server.adminKey, second.key);
    expect(deleted.statusCode).toBe(204);
    const after = await listApprovalsWith(cookie);
    expect(after.statusCode).toBe(401);
  });

  it("are shared by instances on one database", async () => {
    const database = await freshDatabaseConfig({ shared: true });
    server = await createTestServer({ database });
    const { cookie } = await signIn(server);
    const other = await createServer({
      masterKey: server.masterKey,
      database,
      bootstrap: false,
      now: server.clock.now,
    });
    try {
      const response = await other.inject({
        method: "GET",
        url: "/v1/approvals",
        headers: { cookie },
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("do not exist when the console is off", async () => {
    server = await createTestServer({ console: false });
    const page = await server.app.inject({ method: "GET", url: "/console/sign-in" });
    expect(page.statusCode).toBe(404);
    const signInAttempt = await server.app.inject({
      method: "POST",
      url: "/console/session",
      headers: bearer(server.adminKey),
    });
    expect(signInAttempt.statusCode).toBe(404);
  });

  it("do not let an agent's key through the cookie path", async () => {
    server = await createTestServer();
    const { agentKey } = await createAgent(server, ["secrets:read:*"]);
    const response = await server.app.inject({
      method: "GET",
      url: "/v1/approvals",
      headers: { cookie: `ass_console_session=${agentKey}` },
    });
    expect(response.statusCode).toBe(401);
    expect(sessionCookieFrom(["ass_console_session=x; Path=/"])).toBe("ass_console_session=x");
  });
});
