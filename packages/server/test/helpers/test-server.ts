import { randomBytes } from "node:crypto";
import { createServer, type VaultServer } from "../../src/create-server.js";
import type { ServerConfig } from "../../src/server-config.js";

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
  clock: TestClock;
  masterKey: Buffer;
};

/** An in-memory vault with its first-start keys and a movable clock. */
export async function createTestServer(
  overrides: Partial<Omit<ServerConfig, "now">> = {},
): Promise<TestServer> {
  const clock = createTestClock();
  const masterKey = overrides.masterKey ?? randomBytes(32);
  const app = await createServer({
    masterKey,
    database: { kind: "sqlite", filename: ":memory:" },
    ...overrides,
    now: clock.now,
  });
  if (app.firstStart === null) throw new Error("expected a first start");
  return {
    app,
    adminKey: app.firstStart.adminKey,
    agentKey: app.firstStart.agentKey,
    clock,
    masterKey,
  };
}

/** `Authorization: Bearer <credential>` headers. */
export function bearer(credential: string): Record<string, string> {
  return { authorization: `Bearer ${credential}` };
}
