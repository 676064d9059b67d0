import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findForbiddenText } from "../src/http/schemas/request-text.js";
import { auditEvents } from "./helpers/approvals.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// U+0000, control and bidirectional formatting characters in request text are refused with a
// 400 naming the field, on SQLite and (the server-postgres project) PostgreSQL, whose text
// columns cannot hold U+0000 (it answered 500). Controls let an agent's description redraw an
// approver's terminal (an ANSI escape) or reverse a path on the page (a right-to-left override).
const NUL = "\u0000";

/** Each refused character, with the code point the error names. */
const REFUSED: [string, string][] = [
  [NUL, "U+0000"],
  ["\u001b", "U+001B"],
  ["\n", "U+000A"],
  ["\u009b", "U+009B"],
  ["\u202e", "U+202E"],
  ["\u2066", "U+2066"],
];

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

const probes = (c: string, e: string): Probe[] => [
  // ids in the URL
  { field: "token_id", method: "DELETE", url: `/v1/tokens/tok_x${c}y` },
  { field: "id", method: "GET", url: `/v1/approvals/apr_x${c}y` },
  { field: "id", method: "DELETE", url: `/v1/agents/agt_x${c}y` },
  { field: "path", method: "GET", url: `/v1/secrets/prod/a${c}b` },
  // names and descriptions
  { field: "name", method: "POST", url: "/v1/agents", payload: { name: `bot${c}` } },
  {
    field: "description",
    method: "POST",
    url: "/v1/agents",
    payload: { name: "bot", description: `a${c}b` },
  },
  { field: "name", method: "POST", url: "/v1/admins", payload: { name: `ops${c}` } },
  {
    field: "description",
    method: "PUT",
    url: "/v1/secrets/prod/described",
    payload: { value: "v", description: `a${c}b` },
  },
  {
    field: "tags.team",
    method: "PUT",
    url: "/v1/secrets/prod/tagged",
    payload: { value: "v", tags: { team: `a${c}` } },
  },
  {
    field: "description",
    method: "POST",
    url: "/v1/tokens",
    payload: { scope: "secrets:read:prod/*", description: `a${c}b` },
  },
  {
    field: "scopes.0",
    method: "POST",
    url: "/v1/tokens",
    payload: { scopes: [`secrets:read:prod/${c}`] },
  },
  {
    field: "namespace",
    method: "POST",
    url: "/v1/secrets/import",
    payload: { namespace: `prod${c}`, content: "A=1" },
  },
  // filters
  { field: "path", method: "GET", url: `/v1/audit?path=prod/a${e}b` },
  { field: "event", method: "GET", url: `/v1/audit?event=secret.read${e}` },
  { field: "actor", method: "GET", url: `/v1/audit?actor=adm${e}` },
  { field: "namespace", method: "GET", url: `/v1/secrets?namespace=prod${e}` },
  { field: "cursor", method: "GET", url: `/v1/approvals?cursor=x${e}` },
  // comments
  {
    field: "comment",
    method: "POST",
    url: `/v1/approvals/${approvalId}/approve`,
    payload: { comment: `ok${c}` },
  },
  {
    field: "comment",
    method: "POST",
    url: `/v1/approvals/${approvalId}/deny`,
    payload: { comment: `no${c}` },
  },
];

describe("unsafe characters in request text", () => {
  it.each(REFUSED)(
    "answers 400 VALIDATION_ERROR naming the field for %j (%s): ids, names, descriptions, filters and comments",
    async (c, codePoint) => {
      const e = encodeURIComponent(c);
      for (const probe of probes(c, e)) {
        const response = await server.app.inject({
          method: probe.method,
          url: probe.url.replaceAll(c, e),
          headers: bearer(server.adminKey),
          ...(probe.payload === undefined ? {} : { payload: probe.payload }),
        });
        const what = `${probe.method} ${probe.url.replaceAll(c, e)}`;
        expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
        const error = response.json().error;
        expect(error.code, what).toBe("VALIDATION_ERROR");
        expect(error.issues, what).toContainEqual({
          field: probe.field,
          message: expect.stringContaining(codePoint),
        });
        // The answer never carries the character back (JSON would escape it as \u…).
        expect(response.body, what).not.toContain(c);
        expect(response.body.toLowerCase(), what).not.toContain(
          `\\u${codePoint.slice(2).toLowerCase()}`,
        );
      }
      // Nothing was decided by the refused comments.
      const approval = await getWith(server, server.adminKey, `/v1/approvals/${approvalId}`);
      expect(approval.json().status).toBe("pending");
    },
  );

  it("still stores a secret value holding any of them (values are sealed, never a text column)", async () => {
    const value = `bin${REFUSED.map(([c]) => c).join("")}ary`;
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
    for (const [c, codePoint] of REFUSED) {
      const escaped = `\\u${codePoint.slice(2).toLowerCase()}`;
      expect(events.some((event) => JSON.stringify(event).toLowerCase().includes(escaped))).toBe(
        false,
      );
      expect(events.some((event) => JSON.stringify(event).includes(c))).toBe(false);
    }
  });
});

describe("findForbiddenText", () => {
  it("finds refused characters in nested strings and object keys, and names their path", () => {
    expect(findForbiddenText({ a: [{ b: "x" }, { b: `y${NUL}` }] }, undefined)?.path).toEqual([
      "a",
      1,
      "b",
    ]);
    expect(findForbiddenText({ tags: { [`k${NUL}`]: "v" } }, undefined)?.path).toEqual([
      "tags",
      `k${NUL}`,
    ]);
    expect(findForbiddenText({ name: "bot\u001b[2K" }, undefined)).toEqual({
      path: ["name"],
      message: expect.stringContaining("U+001B at offset 3"),
    });
    expect(findForbiddenText({ a: "clean ünïcödé 🙂", n: 1, z: null }, undefined)).toBeNull();
  });
});
