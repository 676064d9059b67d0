import { randomBytes } from "node:crypto";
import { createServer } from "../../src/create-server.js";
import type { ServerConfig } from "../../src/server-config.js";
import type { VaultServer } from "../../src/vault-server.js";
import { freshDatabaseConfig } from "./test-database.js";

/** A clock tests can move: `clock.advance(seconds)`. */
export type TestClock = { now: () => Date; advance(seconds: number): void; set(date: Date): void };

export function createTestClock(start = new Date("2026-01-15T10:00:00.000Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

export type TestServer = {
  app: VaultServer;
  adminKey: string;
  agentKey: string;
  /** The metrics token of the first start (what `/metrics` asks for by default). */
  metricsToken: string;
  clock: TestClock;
  masterKey: Buffer;
};

/**
 * Rate limits high enough that no suite is throttled by accident (tests of the limits pass their
 * own): the defaults allow 10 failed authentications a minute per address, and suites about bad
 * credentials make more than that from 127.0.0.1.
 */
export const UNTHROTTLED: NonNullable<ServerConfig["rateLimits"]> = {
  perCredential: { points: 1_000_000, durationSeconds: 60 },
  writes: { points: 1_000_000, durationSeconds: 60 },
  failedAuth: { points: 1_000_000, durationSeconds: 60 },
};

/**
 * A vault on a fresh database of the engine under test (SQLite in memory, or a PostgreSQL schema
 * of its own: see test-database.ts) with its first-start keys and a movable clock.
 */
export async function createTestServer(
  overrides: Partial<Omit<ServerConfig, "now">> = {},
): Promise<TestServer> {
  const clock = createTestClock();
  const masterKey = overrides.masterKey ?? randomBytes(32);
  const app = await createServer({
    masterKey,
    rateLimits: UNTHROTTLED,
    ...overrides,
    database: overrides.database ?? (await freshDatabaseConfig()),
    now: clock.now,
  });
  if (app.firstStart === null) throw new Error("expected a first start");
  return {
    app,
    adminKey: app.firstStart.adminKey,
    agentKey: app.firstStart.agentKey,
    metricsToken: app.firstStart.metricsToken,
    clock,
    masterKey,
  };
}

/** `Authorization: Bearer <credential>` headers. */
export function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}

/** Creates an agent with the given ceiling through the API; returns its key and id. */
export async function createAgent(
  server: TestServer,
  allowedScopes: string[],
  name = "test-agent",
): Promise<{ agentKey: string; agentId: string }> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/agents",
    headers: bearer(server.adminKey),
    payload: { name, allowed_scopes: allowedScopes },
  });
  if (response.statusCode !== 201) throw new Error(`agent creation failed: ${response.body}`);
  const body = response.json() as { api_key: string; agent_id: string };
  return { agentKey: body.api_key, agentId: body.agent_id };
}

/** Issues a token with `credential` and returns the parsed response (any status). */
export async function requestToken(
  server: TestServer,
  credential: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{
  statusCode: number;
  body: Record<string, unknown> & { token: string; token_id: string };
}> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/tokens",
    headers: { ...bearer(credential), ...headers },
    payload,
  });
  return { statusCode: response.statusCode, body: response.json() };
}

type InjectOptions = { headers?: Record<string, string>; remoteAddress?: string };

/** `PUT /v1/secrets/<path>` (the path is put into the URL as given). */
export async function putSecret(
  server: TestServer,
  credential: string,
  path: string,
  payload: Record<string, unknown>,
  options: InjectOptions = {},
) {
  return server.app.inject({
    method: "PUT",
    url: `/v1/secrets/${path}`,
    headers: { ...bearer(credential), ...options.headers },
    payload,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** `GET <url>` with a credential. */
export async function getWith(
  server: TestServer,
  credential: string,
  url: string,
  options: InjectOptions = {},
) {
  return server.app.inject({
    method: "GET",
    url,
    headers: { ...bearer(credential), ...options.headers },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}
