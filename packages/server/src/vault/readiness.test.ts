import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServiceHarness, type ServiceHarness } from "../../test/helpers/service-harness.js";
import { databaseAnswers } from "./readiness.js";

let vault: ServiceHarness;
beforeEach(async () => {
  vault = await createServiceHarness();
});
afterEach(async () => {
  await vault.close();
});

describe("databaseAnswers", () => {
  it("shares one database read among the checks that arrive while it runs, then reads afresh", async () => {
    const audit = vault.context.data.audit;
    const head = audit.head.bind(audit);
    let reads = 0;
    audit.head = (tenantId: string) => {
      reads += 1;
      return head(tenantId);
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => databaseAnswers(vault.context)),
    );
    expect(answers).toEqual(Array(20).fill(true));
    expect(reads).toBe(1);
    expect(await databaseAnswers(vault.context)).toBe(true);
    expect(reads).toBe(2);
  });

  it("answers false once the database is gone", async () => {
    await vault.context.data.close();
    expect(await databaseAnswers(vault.context)).toBe(false);
  });
});
