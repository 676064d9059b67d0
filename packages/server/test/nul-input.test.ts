import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findNul } from "../src/http/schemas/no-nul.js";
import { auditEvents } from "./helpers/approvals.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// U+0000 in request text is refused with a 400 naming the field, on SQLite and (the
// server-postgres project) PostgreSQL, whose text columns cannot hold it (it answered 500).
const NUL = "\u0000";

let server: TestServer;
let approvalId: string;
beforeAll(async () => {
  server = await createTestServer();
  await putSecret(server, server.agentKey, "prod/sensitive", {
    value: "canary-value-nul",
    tier: "sensitive",
  });
  const issued = await requestToken(server, server.agentKey, {
    scope: "secrets:read:prod/sensitive",
  });
  approvalId = issued.body.approval_request_id as string;
  expect(approvalId).toMatch(/^apr_/);
});
afterAll(async () => {
  await server?.app.close();
});

type Probe = {
  field: string;
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string;
  payload?: Record<string, unknown>;
};

const probes = (): Probe[] => [
  // ids in the URL
  { field: "token_id", method: "DELETE", url: `/v1/tokens/tok_x${NUL}y` },
  { field: "id", method: "GET", url: `/v1/approvals/apr_x${NUL}y` },
  { field: "id", method: "DELETE", url: `/v1/agents/agt_x${NUL}y` },
  { field: "path", method: "GET", url: `/v1/secrets/prod/a${NUL}b` },
  // names and descriptions
  { field: "name", method: "POST", url: "/v1/agents", payload: { name: `bot${NUL}` } },
  {
    field: "description",
    method: "POST",
    url: "/v1/agents",
    payload: { name: "bot", description: `a${NUL}b` },
  },
  { field: "name", method: "POST", url: "/v1/admins", payload: { name: `ops${NUL}` } },
  {
    field: "description",
    method: "PUT",
    url: "/v1/secrets/prod/described",
    payload: { value: "v", description: `a${NUL}b` },
  },
  {
    field: "tags.team",
    method: "PUT",
    url: "/v1/secrets/prod/tagged",
    payload: { value: "v", tags: { team: `a${NUL}` } },
  },
  {
    field: "description",
    method: "POST",
    url: "/v1/tokens",
    payload: { scope: "secrets:read:prod/*", description: `a${NUL}b` },
  },
  {
    field: "scopes.0",
    method: "POST",
    url: "/v1/tokens",
    payload: { scopes: [`secrets:read:prod/${NUL}`] },
  },
  {
    field: "namespace",
    method: "POST",
    url: "/v1/secrets/import",
    payload: { namespace: `prod${NUL}`, content: "A=1" },
  },
  // filters
  { field: "path", method: "GET", url: `/v1/audit?path=prod/a%00b` },
  { field: "event", method: "GET", url: `/v1/audit?event=secret.read%00` },
  { field: "actor", method: "GET", url: `/v1/audit?actor=adm%00` },
  { field: "namespace", method: "GET", url: `/v1/secrets?namespace=prod%00` },
  { field: "cursor", method: "GET", url: `/v1/approvals?cursor=x%00` },
  // comments
  {
    field: "comment",
    method: "POST",
    url: `/v1/approvals/${approvalId}/approve`,
    payload: { comment: `ok${NUL}` },
  },
  {
    field: "comment",
    method: "POST",
    url: `/v1/approvals/${approvalId}/deny`,
    payload: { comment: `no${NUL}` },
  },
];

describe("U+0000 in request text", () => {
  it("answers 400 VALIDATION_ERROR naming the field, for ids, names, descriptions, filters and comments", async () => {
    for (const probe of probes()) {
      const response = await server.app.inject({
        method: probe.method,
        url: probe.url.replaceAll(NUL, "%00"),
        headers: bearer(server.adminKey),
        ...(probe.payload === undefined ? {} : { payload: probe.payload }),
      });
      const what = `${probe.method} ${probe.url.replaceAll(NUL, "%00")}`;
      expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
      const error = response.json().error;
      expect(error.code, what).toBe("VALIDATION_ERROR");
      expect(error.issues, what).toContainEqual({
        field: probe.field,
        message: expect.stringContaining("U+0000"),
      });
      expect(response.body, what).not.toContain("\\u0000");
    }
    // Nothing was decided by the refused comments.
    const approval = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
    expect(approval.json().status).toBe("pending");
  });

  it("still stores a secret value holding U+0000 (values are sealed, never a text column)", async () => {
    const value = `bin${NUL}ary`;
    const put = await putSecret(server, server.agentKey, "prod/binary", { value });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const read = await getWith(server, server.agentKey, "/v1/secrets/prod/binary");
    expect(read.statusCode).toBe(200);
    expect(read.json().value).toBe(value);
    const rotated = await server.app.inject({
      method: "POST",
      url: "/v1/secrets/prod/binary/rotate",
      headers: bearer(server.agentKey),
      payload: { new_value: `${value}2` },
    });
    expect(rotated.statusCode, rotated.body).toBeLessThan(300);
  });

  it("leaves no failed write behind in the audit log", async () => {
    const events = await auditEvents(server);
    expect(events.some((event) => JSON.stringify(event).includes("\\u0000"))).toBe(false);
  });
});

describe("findNul", () => {
  it("finds U+0000 in nested strings and object keys, and names their path", () => {
    expect(findNul({ a: [{ b: "x" }, { b: `y${NUL}` }] }, undefined)).toEqual(["a", 1, "b"]);
    expect(findNul({ tags: { [`k${NUL}`]: "v" } }, undefined)).toEqual(["tags", `k${NUL}`]);
    expect(findNul({ a: "clean", n: 1, z: null }, undefined)).toBeNull();
  });
});
