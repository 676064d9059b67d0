import { inspect } from "node:util";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createSecretCache } from "../src/cache/index.js";
import { importSecrets } from "../src/import/index.js";
import {
  type AgentVault,
  AgentVaultConfigurationError,
  AgentVaultServerError,
  AgentVaultValidationError,
} from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  AGENT_KEY,
  CHILD_TOKEN,
  ORIGIN,
  rejectionOf,
  testVault,
  VALUE,
  wireSecret,
} from "./support/vault-fixtures.js";

useNock();

const SECOND_VALUE = "canary-value-7d2e-second";
const DOTENV = `# app settings\nOPENAI_API_KEY=${VALUE}\nexport DB_PASSWORD="${SECOND_VALUE}"\n`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("importSecrets", () => {
  it("POSTs the .env text with the write fields and an Idempotency-Key", async () => {
    let body: unknown;
    let idempotencyKey: unknown;
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .post("/v1/secrets/import", (sent) => {
        body = sent;
        return true;
      })
      .reply(function reply() {
        idempotencyKey = this.req.headers["idempotency-key"];
        return [
          200,
          {
            namespace: "staging/app",
            imported: ["OPENAI_API_KEY", "DB_PASSWORD"],
            imported_count: 2,
          },
        ];
      });
    const result = await importSecrets(testVault(), "staging/app", DOTENV, {
      tier: "sensitive",
      secretType: "api_key",
      tags: { source: "dotenv" },
      expiresAt: new Date("2026-06-01T00:00:00.000Z"),
    });
    expect(body).toEqual({
      namespace: "staging/app",
      content: DOTENV,
      tier: "sensitive",
      secret_type: "api_key",
      tags: { source: "dotenv" },
      expires_at: "2026-06-01T00:00:00.000Z",
    });
    expect(idempotencyKey).toMatch(UUID);
    expect(result).toEqual({
      namespace: "staging/app",
      imported: ["OPENAI_API_KEY", "DB_PASSWORD"],
      importedCount: 2,
    });
  });

  it("sends the same Idempotency-Key when it retries", async () => {
    const keys: unknown[] = [];
    nock(ORIGIN)
      .post("/v1/secrets/import")
      .times(2)
      .reply(function reply() {
        keys.push(this.req.headers["idempotency-key"]);
        return keys.length === 1
          ? [503, { error: { code: "INTERNAL", message: "try again" } }, { "retry-after": "0" }]
          : [200, { namespace: "a", imported: ["K"], imported_count: 1 }];
      });
    await importSecrets(testVault({ retries: 1 }), "a", "K=canary-value-retry");
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);
  });

  it("fills in the namespace and the count when the server leaves them out", async () => {
    nock(ORIGIN)
      .post("/v1/secrets/import")
      .reply(200, { imported: ["A", "B", "C"] });
    const result = await importSecrets(testVault(), "staging/app", "A=x1x1\nB=y2y2\nC=z3z3");
    expect(result).toEqual({
      namespace: "staging/app",
      imported: ["A", "B", "C"],
      importedCount: 3,
    });
  });

  it("imports with a per-call token", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${CHILD_TOKEN}` } })
      .post("/v1/secrets/import")
      .reply(200, { namespace: "a", imported: ["K"], imported_count: 1 });
    await importSecrets(testVault(), "a", "K=canary-value-token", { token: CHILD_TOKEN });
  });

  it("drops cached secrets below the namespace, also when the outcome is unknown", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/staging/app/KEY")
      .times(3)
      .reply(200, wireSecret("staging/app/KEY"));
    nock(ORIGIN).get("/v1/secrets/other/KEY").once().reply(200, wireSecret("other/KEY"));
    nock(ORIGIN)
      .post("/v1/secrets/import")
      .reply(200, { namespace: "staging", imported: ["NEW"], imported_count: 1 });
    nock(ORIGIN)
      .post("/v1/secrets/import")
      .reply(500, { error: { code: "INTERNAL", message: "failed" } });
    const vault = testVault({ cache: createSecretCache({ ttl: 60_000 }) });
    await vault.getSecret("staging/app/KEY");
    await vault.getSecret("other/KEY");
    await importSecrets(vault, "staging", "NEW=canary-value-new1");
    await vault.getSecret("staging/app/KEY"); // read again: the import may have changed it
    expect(
      await rejectionOf(importSecrets(vault, "staging", "NEW=canary-value-new2")),
    ).toBeInstanceOf(AgentVaultServerError);
    await vault.getSecret("staging/app/KEY"); // and again after the failed one
    await vault.getSecret("other/KEY"); // outside the namespace: still cached
  });

  it("keeps every imported value out of the error, even when the server echoes one", async () => {
    nock(ORIGIN)
      .post("/v1/secrets/import")
      .reply(400, {
        error: {
          code: "VALIDATION_ERROR",
          message: `line 3: ${SECOND_VALUE} is odd; line 2: ${VALUE}`,
          issues: [{ field: "content.line 3", message: `"${SECOND_VALUE}" rejected` }],
        },
      });
    const error = await rejectionOf(importSecrets(testVault(), "staging/app", DOTENV));
    expect(error).toBeInstanceOf(AgentVaultValidationError);
    for (const printed of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
      expect(printed).not.toContain(VALUE);
      expect(printed).not.toContain(SECOND_VALUE);
    }
    expect((error as AgentVaultValidationError).issues[0]?.field).toBe("content.line 3");
  });

  it("refuses a vault that is not an AgentVault", async () => {
    const error = await rejectionOf(
      importSecrets({} as AgentVault, "staging/app", "KEY=canary-value-1"),
    );
    expect(error).toBeInstanceOf(AgentVaultConfigurationError);
    expect(error.message).toContain("AgentVault");
  });

  it("refuses content that is not text before sending anything", async () => {
    const error = await rejectionOf(
      importSecrets(testVault(), "staging/app", { KEY: VALUE } as unknown as string),
    );
    expect(error).toBeInstanceOf(AgentVaultValidationError);
    expect(error.message).toContain("content");
    expect(error.message).not.toContain(VALUE);
  });
});
