import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL } from "../../test/helpers/test-postgres.js";
import type { ApprovalChange, ApprovalEvents } from "./approval-events.js";
import {
  approvalChannelFor,
  createPostgresApprovalEvents,
  type PostgresApprovalEvents,
} from "./postgres-approval-events.js";

// Needs PostgreSQL at 127.0.0.1:5432 (docs/development.md; .ci/run starts it).
const opened: PostgresApprovalEvents[] = [];
afterEach(async () => {
  for (const events of opened.splice(0)) await events.close();
});

async function open(channel: string, applicationName = "ass-events-test") {
  const events = createPostgresApprovalEvents({
    connection: { connectionString: TEST_POSTGRES_URL, application_name: applicationName },
    channel,
    reconnectDelayMs: 20,
  });
  opened.push(events);
  await events.ready();
  return events;
}

function received(events: ApprovalEvents, tenantId: string, approvalId: string) {
  const changes: ApprovalChange[] = [];
  events.subscribe(tenantId, approvalId, (change) => changes.push(change));
  return changes;
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe("createPostgresApprovalEvents", () => {
  it("carries a change to the other instance's subscribers, and to its own once", async () => {
    const channel = `ass_test_${randomUUID().slice(0, 8)}`;
    const [first, second] = [await open(channel), await open(channel)];
    const onFirst = received(first, "ten_1", "apr_1");
    const onSecond = received(second, "ten_1", "apr_1");
    const elsewhere = received(second, "ten_1", "apr_other");
    first.publish({ tenantId: "ten_1", approvalId: "apr_1", status: "approved" });
    await until(() => onSecond.length > 0);
    // A later change that also crossed shows the first one was not delivered twice meanwhile.
    first.publish({ tenantId: "ten_1", approvalId: "apr_1", status: "denied" });
    await until(() => onSecond.length > 1);
    expect(onSecond.map((change) => change.status)).toEqual(["approved", "denied"]);
    expect(onFirst.map((change) => change.status)).toEqual(["approved", "denied"]);
    expect(elsewhere).toEqual([]);
  });

  it("ignores what it cannot read on its channel, and other channels", async () => {
    const channel = `ass_test_${randomUUID().slice(0, 8)}`;
    const other = `ass_test_${randomUUID().slice(0, 8)}`;
    const [listener, stranger] = [await open(channel), await open(other)];
    const changes = received(listener, "ten_1", "apr_1");
    await query("select pg_notify($1, $2)", [channel, "not json"]);
    await query("select pg_notify($1, $2)", [
      channel,
      JSON.stringify({ o: "x", t: "ten_1", a: "apr_1", s: "owned" }),
    ]);
    stranger.publish({ tenantId: "ten_1", approvalId: "apr_1", status: "approved" });
    await query("select pg_notify($1, $2)", [
      channel,
      JSON.stringify({ o: "x", t: "ten_1", a: "apr_1", s: "cancelled" }),
    ]);
    await until(() => changes.length > 0);
    expect(changes).toEqual([{ tenantId: "ten_1", approvalId: "apr_1", status: "cancelled" }]);
  });

  it("listens again after its connection is killed, and wakes its listeners to re-read meanwhile", async () => {
    const channel = `ass_test_${randomUUID().slice(0, 8)}`;
    const applicationName = `ass-events-${randomUUID().slice(0, 8)}`;
    const listener = await open(channel, applicationName);
    const sender = await open(channel);
    const changes = received(listener, "ten_1", "apr_1");
    await query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
      [applicationName],
    );
    // Notifications sent while it is away are lost (waiters re-read); keep sending until one lands.
    await until(async () => {
      sender.publish({ tenantId: "ten_1", approvalId: "apr_1", status: "approved" });
      await new Promise((resolve) => setTimeout(resolve, 20));
      return changes.some((change) => change.status === "approved");
    });
    // Woken when the feed went down (and again when it came back), before any change arrived:
    // waiters re-read then, since changes sent meanwhile are lost.
    expect(changes[0]?.status).toBe("pending");
    expect(listener.isLive?.()).toBe(true);
  });

  it("closes its connection", async () => {
    const applicationName = `ass-events-${randomUUID().slice(0, 8)}`;
    const events = await open(`ass_test_${randomUUID().slice(0, 8)}`, applicationName);
    const count = async () =>
      (
        await query<{ count: string }>(
          "select count(*) from pg_stat_activity where application_name = $1",
          [applicationName],
        )
      )[0]?.count;
    expect(await count()).toBe("1");
    await events.close();
    await until(async () => (await count()) === "0");
  });
});

describe("approvalChannelFor", () => {
  it("gives each schema its own channel, within PostgreSQL's 63-byte names", () => {
    expect(approvalChannelFor("public")).toBe("ass_approvals");
    expect(approvalChannelFor("tenant_a")).toBe("ass_approvals_tenant_a");
    const long = approvalChannelFor("s".repeat(63));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(approvalChannelFor(`${"s".repeat(62)}t`));
  });
});
