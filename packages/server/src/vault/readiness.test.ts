import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServiceHarness, type ServiceHarness } from "../../test/helpers/service-harness.js";
import { databaseAnswers, READINESS_FRESH_MS } from "./readiness.js";

let vault: ServiceHarness;
let reads: number;
let failNextRead: boolean;
beforeEach(async () => {
  vault = await createServiceHarness();
  const audit = vault.context.data.audit;
  const head = audit.head.bind(audit);
  reads = 0;
  failNextRead = false;
  audit.head = (tenantId: string) => {
    reads += 1;
    if (failNextRead) {
      failNextRead = false;
      return Promise.reject(new Error("connection refused"));
    }
    return head(tenantId);
  };
});
afterEach(async () => {
  await vault.close();
});

describe("databaseAnswers", () => {
  it("shares one database read among the checks that arrive while it runs", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => databaseAnswers(vault.context, 0)),
    );
    expect(answers).toEqual(Array(20).fill(true));
    expect(reads).toBe(1);
  });

  it("trusts an answered read for READINESS_FRESH_MS from when it began, then reads afresh", async () => {
    expect(await databaseAnswers(vault.context, 1000)).toBe(true);
    expect(databaseAnswers(vault.context, 1000 + READINESS_FRESH_MS - 1)).toBe(true);
    expect(reads).toBe(1);
    expect(await databaseAnswers(vault.context, 1000 + READINESS_FRESH_MS)).toBe(true);
    expect(reads).toBe(2);
  });

  it("trusts nothing after a failed read: the next check reads again and sees the recovery", async () => {
    failNextRead = true;
    expect(await databaseAnswers(vault.context, 1000)).toBe(false);
    expect(await databaseAnswers(vault.context, 1001)).toBe(true);
    expect(reads).toBe(2);
  });

  it("answers false once the database is gone", async () => {
    await vault.context.data.close();
    expect(await databaseAnswers(vault.context)).toBe(false);
  });
});
