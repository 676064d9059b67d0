// Two app instances on one PostgreSQL schema (PostgreSQL-only; runs in the "server" project).
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../../src/create-server.js";
import type { VaultServer } from "../../src/vault-server.js";
import { createTestSchema } from "../helpers/test-database.js";
import { bearer, UNTHROTTLED } from "../helpers/test-server.js";

const apps: VaultServer[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe("an agent's read of a gated secret on two instances at once", () => {
  it("opens one pending request, which every racing read is pointed to", async () => {
    const { url } = await createTestSchema();
    const database = { kind: "postgres" as const, url, poolSize: 8 };
    const masterKey = randomBytes(32);
    const first = await createServer({ masterKey, database, rateLimits: UNTHROTTLED });
    const second = await createServer({ masterKey, database, rateLimits: UNTHROTTLED });
    apps.push(first, second);
    const keys = first.firstStart;
    if (keys === null) throw new Error("expected the first start on the first instance");
    const put = await first.inject({
      method: "PUT",
      url: "/v1/secrets/race/key",
      headers: bearer(keys.adminKey),
      payload: { value: "canary-value-pending-race", tier: "sensitive" },
    });
    expect(put.statusCode).toBe(201);

    for (let round = 0; round < 5; round += 1) {
      const path = "race/key";
      const reads = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 === 0 ? first : second).inject({
            method: "GET",
            url: `/v1/secrets/${path}`,
            headers: bearer(keys.agentKey),
          }),
        ),
      );
      const ids = new Set(
        reads.map((read) => {
          expect(read.statusCode, read.body).toBe(202);
          return read.json().error.approval_request_id as string;
        }),
      );
      expect(ids.size).toBe(1);
      const pending = await first.inject({
        method: "GET",
        url: "/v1/approvals?status=pending",
        headers: bearer(keys.adminKey),
      });
      expect(pending.json().items).toHaveLength(1);
      // Deny it, so that the next round races to open a new one.
      const [id] = [...ids];
      const denied = await second.inject({
        method: "POST",
        url: `/v1/approvals/${id}/deny`,
        headers: bearer(keys.adminKey),
      });
      expect(denied.statusCode).toBe(200);
    }
  });
});
