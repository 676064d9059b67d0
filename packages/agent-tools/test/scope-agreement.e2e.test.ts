import { type ScopeAction, scopeCovers } from "@agentsecretstore/agent-tools";
import { SCOPE_CASES, type ScopeCase } from "@agentsecretstore/protocol/scope-cases";
import type { RunningServer } from "@agentsecretstore/server";
import { type RunningVault, startVault } from "@agentsecretstore/testkit";
import { fc } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The adapters decide locally what a token they hold may do (scopeCovers, used by AccessGrants
// and the destination policy); the server decides for real. This test holds them to one answer
// on the shared case table and on random scopes and paths, in both directions: everything the
// adapters allow the server allows, and everything the server allows the adapters allow.

let vault: RunningVault;
let server: RunningServer;
let agentKey: string;

// `use` is asked of the server through a broker route whose secret is the case's path (none
// exists: 404 once the scope passed, so nothing ever goes to the unused upstream).
const USE_PATHS = [
  ...new Set(SCOPE_CASES.filter((entry) => entry.action === "use").map((entry) => entry.path)),
];

beforeAll(async () => {
  vault = await startVault({
    prefix: "ass-scope-agreement-",
    server: {
      // Hundreds of calls with one agent key: the default budget would answer 429.
      rateLimits: { perCredential: { points: 100_000 }, writes: { points: 100_000 } },
      broker: {
        routes: USE_PATHS.map((path, index) => ({
          name: `case-${index}`,
          upstream: "http://127.0.0.1:9",
          secretPath: path,
          header: "X-Api-Key: {value}",
        })),
      },
    },
  });
  server = vault.server;
  agentKey = vault.agentKey;
});

afterAll(async () => {
  await vault?.close();
});

async function call(method: string, route: string, credential: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : null };
}

/**
 * Whether the server lets a token of `scope` do `action` on `path`. A scope the server will not
 * mint (400) allows nothing; so does a path it rejects (400). 404 means the scope passed.
 */
async function serverAllows(scope: string, action: ScopeAction, path: string): Promise<boolean> {
  const minted = await call("POST", "/tokens", agentKey, { scope, ttl_seconds: 600 });
  if (minted.status === 400) return false;
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  const token = (minted.body as { token: string }).token;
  // One percent-encoded segment: fetch would otherwise resolve `..` before the server saw it.
  const route = `/secrets/${encodeURIComponent(path)}`;
  const answer =
    action === "use"
      ? await call("GET", `/broker/case-${USE_PATHS.indexOf(path)}/x`, token)
      : action === "read"
        ? await call("GET", route, token)
        : action === "write"
          ? await call("PUT", route, token, { value: "agreement-fixture-value" })
          : await call("DELETE", route, token);
  expect([200, 201, 204, 400, 403, 404], `${action} ${path}: ${answer.status}`).toContain(
    answer.status,
  );
  return answer.status !== 400 && answer.status !== 403;
}

async function expectAgreement({ scope, action, path }: Omit<ScopeCase, "allowed">) {
  const adapter = scopeCovers(scope, action, path);
  const vault = await serverAllows(scope, action, path);
  expect({ scope, action, path, adapter }).toEqual({ scope, action, path, adapter: vault });
  return vault;
}

describe("the server and the adapters agree on scopes", () => {
  it.each(SCOPE_CASES)("$scope on $action $path", async (entry) => {
    expect(await expectAgreement(entry)).toBe(entry.allowed);
  });

  it("agree on random scopes and paths, allowed and denied alike", async () => {
    const segment = fc.constantFrom("a", "b", "a-b", "c.d");
    const scope = fc
      .tuple(
        fc.constantFrom("read", "write", "delete", "*"),
        fc.array(fc.oneof(segment, fc.constant("*")), { minLength: 1, maxLength: 3 }),
      )
      .map(([action, pattern]) => `secrets:${action}:${pattern.join("/")}`);
    // A path ends in a leaf segment and leaves never stand inside a path, so no path is ever
    // another's namespace: `GET /secrets/a` must be the read of secret `a`, not the listing of
    // an `a/…` that an earlier case wrote.
    const path = fc
      .tuple(fc.array(fc.constantFrom("a", "a-b"), { maxLength: 3 }), fc.constantFrom("b", "c.d"))
      .map(([inner, leaf]) => [...inner, leaf].join("/"));
    const action = fc.constantFrom<ScopeAction>("read", "write", "delete");
    const outcomes = { allowed: 0, denied: 0 };
    await fc.assert(
      fc.asyncProperty(scope, action, path, async (scopeText, actionName, pathText) => {
        const allowed = await expectAgreement({
          scope: scopeText,
          action: actionName,
          path: pathText,
        });
        outcomes[allowed ? "allowed" : "denied"] += 1;
      }),
      { numRuns: 60 },
    );
    // Both directions were exercised: some cases each way.
    expect(outcomes.allowed).toBeGreaterThan(0);
    expect(outcomes.denied).toBeGreaterThan(0);
  }, 120_000);
});
