import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import { createDatabase } from "../src/db/create-database.js";
import type { VaultServer } from "../src/vault-server.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import {
  bearer,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

const CANARY = "canary-value-audit-5b1c";

let server: TestServer | undefined;
let fileApp: VaultServer | undefined;
afterEach(async () => {
  await server?.app.close();
  await fileApp?.close();
  server = undefined;
  fileApp = undefined;
});

async function everyEvent(test: TestServer, query = ""): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/audit?limit=7${query}${cursor ? `&cursor=${cursor}` : ""}`;
    const body = (await getWith(test, test.adminKey, url)).json();
    events.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor !== null);
  return events;
}

describe("the audit log", () => {
  it("records changes, reads, denials and failed logins in order, without values, and verifies", async () => {
    server = await createTestServer();
    const test = server;
    await putSecret(test, test.agentKey, "prod/key", { value: CANARY });
    await getWith(test, test.agentKey, "/v1/secrets/prod/key");
    await test.app.inject({
      method: "POST",
      url: "/v1/secrets/prod/key/rotate",
      headers: bearer(test.agentKey),
      payload: { new_value: `${CANARY}-2`, grace_period_seconds: 60 },
    });
    const token = await requestToken(test, test.agentKey, { scope: "secrets:read:dev/*" });
    await getWith(test, token.body.token, "/v1/secrets/prod/key");
    await getWith(test, `ass_live_${"B".repeat(43)}`, "/v1/secrets/prod/key");
    await test.app.inject({
      method: "DELETE",
      url: "/v1/secrets/prod/key",
      headers: bearer(test.agentKey),
    });

    const events = await everyEvent(test);
    const names = events.map((event) => `${event.event}:${event.outcome}`);
    expect(names).toEqual([
      "admin.created:success",
      "agent.created:success",
      "secret.created:success",
      "secret.read:success",
      "secret.rotated:success",
      "token.issued:success",
      "secret.read:denied",
      "auth.failed:denied",
      "secret.deleted:success",
    ]);
    expect(events[3]).toMatchObject({
      path: "prod/key",
      version: 1,
      actor_type: "agent",
      request_id: expect.any(String),
    });
    expect(events[6]).toMatchObject({ actor_type: "token", token_id: token.body.token_id });
    expect(JSON.stringify(events)).not.toContain(CANARY);
    expect(JSON.stringify(events)).not.toContain(token.body.token);
    expect(
      events.every((event, index) => index === 0 || event.prev_hash === events[index - 1]?.hash),
    ).toBe(true);

    const verify = await getWith(test, test.adminKey, "/v1/audit/verify");
    expect(verify.json()).toMatchObject({ ok: true, count: events.length });
  });

  it("filters by path, event and actor", async () => {
    server = await createTestServer();
    const test = server;
    await putSecret(test, test.agentKey, "a/one", { value: CANARY });
    await putSecret(test, test.agentKey, "a/two", { value: CANARY });
    await getWith(test, test.adminKey, "/v1/secrets/a/one");
    const byPath = await everyEvent(test, "&path=a/one");
    expect(byPath.map((event) => event.event)).toEqual(["secret.created", "secret.read"]);
    const byEvent = await everyEvent(test, "&event=secret.created");
    expect(byEvent).toHaveLength(2);
    const readerId = byPath[1]?.actor_id as string;
    const byActor = await everyEvent(test, `&actor=${readerId}`);
    expect(byActor.map((event) => event.event)).toEqual(["secret.read"]);
  });

  it("is for admin keys only", async () => {
    server = await createTestServer();
    const response = await getWith(server, server.agentKey, "/v1/audit");
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("SCOPE_DENIED");
    expect((await getWith(server, server.agentKey, "/v1/audit/verify")).statusCode).toBe(403);
  });

  it("detects an edited event and events cut off the end", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    fileApp = await createServer({ masterKey: randomBytes(32), database: config });
    const adminKey = fileApp.firstStart?.adminKey ?? "";
    for (const path of ["a/1", "a/2", "a/3"]) {
      await fileApp.inject({
        method: "PUT",
        url: `/v1/secrets/${path}`,
        headers: bearer(adminKey),
        payload: { value: CANARY },
      });
    }
    const verify = async () =>
      (
        await fileApp?.inject({ method: "GET", url: "/v1/audit/verify", headers: bearer(adminKey) })
      )?.json();
    expect(await verify()).toMatchObject({ ok: true, count: 5 });

    // A second connection, as someone with write access to the database would have.
    const { db } = createDatabase(config);
    const edited = await db
      .selectFrom("audit_events")
      .select("id")
      .where("seq", "=", 4)
      .executeTakeFirstOrThrow();
    await db.updateTable("audit_events").set({ path: "a/other" }).where("seq", "=", 4).execute();
    expect(await verify()).toMatchObject({ ok: false, broken_at: edited.id });
    await db.updateTable("audit_events").set({ path: "a/2" }).where("seq", "=", 4).execute();
    expect(await verify()).toMatchObject({ ok: true });
    await db.deleteFrom("audit_events").where("seq", "=", 5).execute();
    expect(await verify()).toMatchObject({ ok: false, count: 4 });
    await db.destroy();
  });
});

describe("tenants", () => {
  it("keeps each tenant's secrets and audit apart", async () => {
    server = await createTestServer();
    const test = server;
    await putSecret(test, test.agentKey, "shared/name", { value: CANARY });
    const created = await test.app.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(test.adminKey),
      payload: { name: "second" },
    });
    expect(created.statusCode).toBe(201);
    const otherAdmin = created.json().admin_key as string;
    expect((await getWith(test, otherAdmin, "/v1/secrets/shared/name")).statusCode).toBe(404);
    expect((await getWith(test, otherAdmin, "/v1/secrets?namespace=shared")).json().items).toEqual(
      [],
    );
    const audit = (await getWith(test, otherAdmin, "/v1/audit")).json().items as {
      event: string;
    }[];
    expect(audit.map((event) => event.event)).not.toContain("secret.created");
    expect((await getWith(test, otherAdmin, "/v1/audit/verify")).json()).toMatchObject({
      ok: true,
    });
    const notOperator = await test.app.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(otherAdmin),
      payload: { name: "third" },
    });
    expect(notOperator.statusCode).toBe(403);
  });
});
