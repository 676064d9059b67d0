import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createServer } from "../src/create-server.js";
import { openSecretValue, SealedValueError, sealSecretValue } from "../src/crypto/envelope.js";
import { deriveKey } from "../src/crypto/keys.js";
import { createDatabase } from "../src/db/create-database.js";
import { createDataAccess } from "../src/store/stores.js";
import type { VaultServer } from "../src/vault-server.js";
import { freshDatabaseConfig } from "./helpers/test-database.js";
import { bearer } from "./helpers/test-server.js";

let app: VaultServer | undefined;
afterEach(async () => {
  await app?.close();
});

describe("sealed values at rest", () => {
  it("never opens a sealed value copied onto another row: the store fails cleanly and the API answers 423 INTEGRITY_FAILED", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const masterKey = randomBytes(32);
    app = await createServer({ masterKey, database: config });
    const agentKey = app.firstStart?.agentKey ?? "";
    for (const [path, value] of [
      ["victim/key", "canary-value-victim"],
      ["attacker/key", "canary-value-attacker"],
    ]) {
      await app.inject({
        method: "PUT",
        url: `/v1/secrets/${path}`,
        headers: bearer(agentKey),
        payload: { value },
      });
    }

    // A second connection to the same database, as an attacker with write access would have.
    const database = createDatabase(config);
    const { db } = database;
    const data = createDataAccess(database, {
      auditKey: deriveKey(masterKey, "audit"),
      metadataKey: deriveKey(masterKey, "secret-metadata"),
    });
    const tenantId = app.firstStart?.tenantId ?? "";
    const victim = await data.secrets.findByPath(tenantId, "victim/key");
    const attacker = await data.secrets.findByPath(tenantId, "attacker/key");
    if (!victim || !attacker) throw new Error("seed failed");
    const victimSealed = await data.secrets.findVersion(tenantId, victim.id, 1);
    await db
      .updateTable("secret_versions")
      .set({ sealed: victimSealed?.sealed.toString("base64") ?? "" })
      .where("secret_id", "=", attacker.id)
      .execute();

    const moved = await data.secrets.findVersion(tenantId, attacker.id, 1);
    expect(() =>
      openSecretValue(
        masterKey,
        { tenantId, path: "attacker/key", version: 1, secretId: attacker.id },
        moved?.sealed ?? Buffer.alloc(0),
      ),
    ).toThrow(SealedValueError);
    await data.close();

    const response = await app.inject({
      method: "GET",
      url: "/v1/secrets/attacker/key",
      headers: bearer(agentKey),
    });
    expect(response.statusCode).toBe(423);
    expect(response.json()).toEqual({
      error: { code: "INTEGRITY_FAILED", message: expect.any(String), path: "attacker/key" },
      detail: expect.any(String),
    });
    expect(response.body).not.toContain("canary-value");
    const untouched = await app.inject({
      method: "GET",
      url: "/v1/secrets/victim/key",
      headers: bearer(agentKey),
    });
    expect(untouched.json().value).toBe("canary-value-victim");
  });

  it("refuses a value sealed under a key the vault's keyring never had as 423 INTEGRITY_FAILED, not as a missed rotation", async () => {
    const config = await freshDatabaseConfig({ shared: true });
    const masterKey = randomBytes(32);
    app = await createServer({ masterKey, database: config });
    const agentKey = app.firstStart?.agentKey ?? "";
    const tenantId = app.firstStart?.tenantId ?? "";
    await app.inject({
      method: "PUT",
      url: "/v1/secrets/forged/key",
      headers: bearer(agentKey),
      payload: { value: "canary-value-forged" },
    });
    const database = createDatabase(config);
    const data = createDataAccess(database, {
      auditKey: deriveKey(masterKey, "audit"),
      metadataKey: deriveKey(masterKey, "secret-metadata"),
    });
    const secret = await data.secrets.findByPath(tenantId, "forged/key");
    if (!secret) throw new Error("seed failed");
    // Well formed and bound to the right row, but under a master key of someone else's.
    const binding = { tenantId, path: "forged/key", version: 1, secretId: secret.id };
    const forged = sealSecretValue(randomBytes(32), binding, "canary-value-planted");
    await database.db
      .updateTable("secret_versions")
      .set({ sealed: forged.toString("base64") })
      .where("secret_id", "=", secret.id)
      .execute();
    await data.close();

    const response = await app.inject({
      method: "GET",
      url: "/v1/secrets/forged/key",
      headers: bearer(agentKey),
    });
    expect(response.statusCode).toBe(423);
    expect(response.json().error.code).toBe("INTEGRITY_FAILED");
    expect(response.body).not.toContain("canary-value");
  });
});
