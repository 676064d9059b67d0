import { checkSecretPath, parseScope, type SecretPath } from "@agentsecretstore/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServiceHarness, type ServiceHarness } from "../../test/helpers/service-harness.js";
import { createAgent, deleteAgent, listAgents } from "./agents.js";
import { deleteSecret } from "./delete-secret.js";
import { importSecrets } from "./import-secrets.js";
import { putSecret } from "./put-secret.js";
import { requestToken } from "./request-token.js";
import { revokeToken } from "./revoke-token.js";
import { rotateSecretAt } from "./rotate-secret.js";
import { VaultError } from "./vault-error.js";

// The secret and agent services called directly, as routes call them: an actor and plain inputs
// in, plain results or a typed VaultError out, no HTTP anywhere.

/** A write that sets no tier, type, description, tags or expiry. */
const NO_FIELDS = {
  tier: undefined,
  secretType: undefined,
  description: undefined,
  tags: undefined,
  expiresAt: undefined,
};

let vault: ServiceHarness;
beforeEach(async () => {
  vault = await createServiceHarness();
});
afterEach(async () => {
  await vault.close();
});

function pathOf(text: string): SecretPath {
  const checked = checkSecretPath(text);
  if (!checked.ok) throw new Error(checked.message);
  return checked.path;
}

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

const put = (actor: ServiceHarness["admin"], path: string, value: string, extra = {}) =>
  putSecret(vault.context, actor, {
    path: pathOf(path),
    value,
    fields: NO_FIELDS,
    idempotencyKey: undefined,
    fingerprint: null,
    ...extra,
  });

async function tokenActor(scope: string, maxUses?: number) {
  const parsed = parseScope(scope);
  if (!parsed.ok) throw new Error(parsed.message);
  const issued = await requestToken(vault.context, vault.agent.origin, vault.agent.principal, {
    scopes: [parsed.scope],
    ttlSeconds: 600,
    description: null,
    allowedIps: null,
    maxUses,
  });
  return vault.actorFor(issued.value);
}

describe("putSecret", () => {
  it("creates (201), then adds a version (200), each audited once", async () => {
    expect((await put(vault.agent, "svc/a", "fixture-one")).statusCode).toBe(201);
    expect((await put(vault.agent, "svc/a", "fixture-two")).statusCode).toBe(200);
    const written = (await vault.auditEvents()).filter((row) => row.path === "svc/a");
    expect(written.map((row) => row.outcome)).toEqual(["success", "success"]);
  });

  it("refuses a path outside the actor's scopes with SCOPE_DENIED, audits the denial, writes nothing", async () => {
    const token = await tokenActor("secrets:write:svc/allowed/*");
    const error = await failure(put(token, "svc/other", "fixture-value"));
    expect(error.code).toBe("SCOPE_DENIED");
    const events = await vault.auditEvents();
    expect(events.some((row) => row.path === "svc/other" && row.outcome === "denied")).toBe(true);
    expect(events.some((row) => row.path === "svc/other" && row.outcome === "success")).toBe(false);
  });

  it("spends exactly one use of a max_uses token per write, and none on a scope denial", async () => {
    const token = await tokenActor("secrets:write:svc/*", 2);
    await failure(put(token, "elsewhere/x", "fixture-value"));
    await put(token, "svc/one", "fixture-value");
    await put(token, "svc/two", "fixture-value");
    const third = await failure(put(token, "svc/three", "fixture-value"));
    expect(third.code).toBe("UNAUTHORIZED");
  });

  it("answers a retry with the same Idempotency-Key with the first answer and writes once", async () => {
    const first = await put(vault.agent, "svc/idem", "fixture-value", {
      idempotencyKey: "key-1",
      fingerprint: { body: 1 },
    });
    const again = await put(vault.agent, "svc/idem", "fixture-value", {
      idempotencyKey: "key-1",
      fingerprint: { body: 1 },
    });
    expect(again).toEqual(first);
    const other = await failure(
      put(vault.agent, "svc/idem", "fixture-value", {
        idempotencyKey: "key-1",
        fingerprint: { body: 2 },
      }),
    );
    expect(other.code).toBe("CONFLICT");
  });

  it("refuses a stale If-Match with PRECONDITION_FAILED and the current version", async () => {
    await put(vault.agent, "svc/cas", "fixture-value");
    const error = await failure(put(vault.agent, "svc/cas", "fixture-value", { ifMatch: 7 }));
    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.details).toMatchObject({ current_version: 1 });
  });
});

describe("a token that stops working while a request is answered", () => {
  it("is refused in the commit, and the refusal says why: used up, or gone", async () => {
    const usedUp = await tokenActor("secrets:write:svc/*", 1);
    await put(usedUp, "svc/once", "fixture-value");
    // The same (now stale) principal again: the commit finds no use left.
    expect((await failure(put(usedUp, "svc/twice", "fixture-value"))).code).toBe("UNAUTHORIZED");
    const revoked = await tokenActor("secrets:write:svc/*");
    await revokeToken(vault.context, vault.agent, revoked.principal.id);
    expect((await failure(put(revoked, "svc/late", "fixture-value"))).code).toBe("UNAUTHORIZED");
    const reasons = (await vault.auditEvents())
      .filter((row) => row.event === "auth.failed")
      .map((row) => (JSON.parse(row.detail ?? "{}") as { reason?: string }).reason);
    expect(reasons).toEqual(["used_up", "gone"]);
  });
});

describe("deleteSecret and rotateSecretAt", () => {
  it("deletes a secret, then answers SECRET_NOT_FOUND", async () => {
    await put(vault.agent, "svc/gone", "fixture-value");
    await deleteSecret(vault.context, vault.agent, pathOf("svc/gone"));
    const error = await failure(deleteSecret(vault.context, vault.agent, pathOf("svc/gone")));
    expect(error.code).toBe("SECRET_NOT_FOUND");
  });

  it("needs delete, not write, to delete", async () => {
    await put(vault.agent, "svc/kept", "fixture-value");
    const writer = await tokenActor("secrets:write:svc/*");
    const error = await failure(deleteSecret(vault.context, writer, pathOf("svc/kept")));
    expect(error.code).toBe("SCOPE_DENIED");
  });

  it("rotates to a new version with the old one kept for the grace period", async () => {
    await put(vault.agent, "svc/rot", "fixture-old");
    const rotation = await rotateSecretAt(vault.context, vault.agent, {
      path: pathOf("svc/rot"),
      newValue: "fixture-new",
      gracePeriodSeconds: 60,
      idempotencyKey: undefined,
      fingerprint: null,
    });
    expect(rotation).toMatchObject({ path: "svc/rot", new_version: 2, old_version: 1 });
    expect(Date.parse(rotation.expires_at) - vault.clock.now().getTime()).toBe(60_000);
  });
});

describe("importSecrets", () => {
  it("writes every key or none: one key outside the scopes refuses them all", async () => {
    const token = await tokenActor("secrets:write:env/A");
    const error = await failure(
      importSecrets(vault.context, token, {
        namespace: "env",
        content: "A=fixture-a\nB=fixture-b\n",
        fields: NO_FIELDS,
        idempotencyKey: undefined,
        fingerprint: null,
      }),
    );
    expect(error.code).toBe("SCOPE_DENIED");
    expect((await vault.auditEvents()).some((row) => row.event === "secret.imported")).toBe(false);
    const result = await importSecrets(vault.context, vault.agent, {
      namespace: "env",
      content: "A=fixture-a\nB=fixture-b\n",
      fields: NO_FIELDS,
      idempotencyKey: undefined,
      fingerprint: null,
    });
    expect(result).toEqual({
      namespace: "env",
      imported: ["A", "B"],
      keys: ["A", "B"],
      imported_count: 2,
      skipped: 0,
    });
  });

  it("names the line of a malformed entry", async () => {
    const error = await failure(
      importSecrets(vault.context, vault.agent, {
        namespace: "env",
        content: "GOOD=1\nnot a line\n",
        fields: NO_FIELDS,
        idempotencyKey: undefined,
        fingerprint: null,
      }),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(error.details)).toContain("line 2");
  });
});

describe("agents", () => {
  it("are created, listed and deleted by an admin only", async () => {
    const refused = await failure(
      createAgent(vault.context, vault.agent, { name: "x", allowedScopes: ["secrets:read:*"] }),
    );
    expect(refused.code).toBe("SCOPE_DENIED");
    const { agent, apiKey } = await createAgent(vault.context, vault.admin, {
      name: "builder",
      allowedScopes: ["secrets:read:ci/*", "secrets:read:ci/*"],
    });
    expect(agent.allowedScopes).toEqual(["secrets:read:ci/*"]);
    expect((await listAgents(vault.context, vault.admin)).map((row) => row.name)).toContain(
      "builder",
    );
    await vault.actorFor(apiKey);
    await deleteAgent(vault.context, vault.admin, agent.id);
    await expect(vault.actorFor(apiKey)).rejects.toThrow(/refused/);
    const again = await failure(deleteAgent(vault.context, vault.admin, agent.id));
    expect(again.code).toBe("NOT_FOUND");
  });

  it("refuses a malformed scope, naming its index", async () => {
    const error = await failure(
      createAgent(vault.context, vault.admin, {
        name: "x",
        allowedScopes: ["secrets:read:*", "nope"],
      }),
    );
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(error.details)).toContain("allowed_scopes.1");
  });
});
