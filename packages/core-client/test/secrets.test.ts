import nock from "nock";
import { describe, expect, it, vi } from "vitest";
import { AgentVaultNotFoundError, AgentVaultValidationError, Secret } from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  AGENT_KEY,
  ORIGIN,
  rejectionOf,
  testVault,
  VALUE,
  wireSecret,
} from "./support/vault-fixtures.js";

useNock();

describe("getSecret", () => {
  it("reads a secret with the agent key as bearer token", async () => {
    nock(ORIGIN, { reqheaders: { authorization: `Bearer ${AGENT_KEY}` } })
      .get("/v1/secrets/production/openai/api-key")
      .reply(200, wireSecret("production/openai/api-key", { version: 3, tier: "sensitive" }));
    const secret = await testVault().getSecret("production/openai/api-key");
    expect(secret).toBeInstanceOf(Secret);
    expect(secret.value).toBe(VALUE);
    expect(secret.version).toBe(3);
    expect(secret.tier).toBe("sensitive");
    expect(secret.createdAt).toEqual(new Date("2026-01-15T10:30:00.000Z"));
  });

  it("asks for a version with ?version=", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .query({ version: "2" })
      .reply(200, wireSecret("a/b", { version: 2 }));
    expect((await testVault().getSecret("a/b", { version: 2 })).version).toBe(2);
  });

  it("encodes each path segment and keeps the slashes", async () => {
    nock(ORIGIN).get("/v1/secrets/team%20a/key%3Fx%23y").reply(200, wireSecret("team a/key?x#y"));
    expect((await testVault().getSecret("team a/key?x#y")).path).toBe("team a/key?x#y");
  });

  it("refuses a path with dot segments before sending anything", async () => {
    const error = await rejectionOf(testVault().getSecret("production/../admin/key"));
    expect(error).toBeInstanceOf(AgentVaultValidationError);
  });

  it("understands a server that answers with the newer field names", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/a/b")
      .reply(200, {
        path: "a/b",
        value: VALUE,
        version: 1,
        access_tier: "critical",
        type: "db_credential",
        metadata: { owner: "data" },
      });
    const secret = await testVault().getSecret("a/b");
    expect(secret).toMatchObject({ tier: "critical", secretType: "db_credential" });
    expect(secret.tags).toEqual({ owner: "data" });
  });

  it("reports a namespace answered in place of a secret as not found", async () => {
    nock(ORIGIN)
      .get("/v1/secrets/production")
      .reply(200, {
        namespace: "production",
        items: [{ path: "production/a" }],
        next_cursor: null,
      });
    const error = await rejectionOf(testVault().getSecret("production"));
    expect(error).toBeInstanceOf(AgentVaultNotFoundError);
  });
});

describe("setSecret", () => {
  it("PUTs the value with the seed generation's field names and returns metadata", async () => {
    let body: unknown;
    nock(ORIGIN)
      .put("/v1/secrets/production/openai/api-key", (sent) => {
        body = sent;
        return true;
      })
      .reply(201, { ...wireSecret("production/openai/api-key"), value: undefined, id: "sec_1" });
    const metadata = await testVault().setSecret("production/openai/api-key", VALUE, {
      tier: "sensitive",
      secretType: "api_key",
      description: "OpenAI key",
      tags: { team: "ml" },
      expiresAt: new Date("2026-02-01T00:00:00.000Z"),
    });
    expect(body).toEqual({
      value: VALUE,
      tier: "sensitive",
      secret_type: "api_key",
      description: "OpenAI key",
      tags: { team: "ml" },
      expires_at: "2026-02-01T00:00:00.000Z",
    });
    expect(metadata.path).toBe("production/openai/api-key");
    expect(metadata).not.toHaveProperty("value");
  });

  it("sends a destination binding and per-call approval, and maps them back", async () => {
    const bodies: unknown[] = [];
    const binding = [{ origin: "https://api.openai.com", path_prefixes: ["/v1/"] }];
    nock(ORIGIN)
      .put("/v1/secrets/a/b", (sent) => bodies.push(sent) > 0)
      .reply(200, { path: "a/b", version: 2, allowed_destinations: binding, approval: "per_call" })
      .put("/v1/secrets/a/b", (sent) => bodies.push(sent) > 0)
      .reply(200, { path: "a/b", version: 3, allowed_destinations: null, approval: "none" });
    const vault = testVault();
    const bound = await vault.setSecret("a/b", VALUE, {
      allowedDestinations: [
        { origin: "https://api.openai.com", pathPrefixes: ["/v1/"] },
        { origin: "https://api.example.com" },
      ],
      approval: "per_call",
    });
    expect(bound.allowedDestinations).toEqual([
      { origin: "https://api.openai.com", pathPrefixes: ["/v1/"] },
    ]);
    expect(bound.approval).toBe("per_call");
    const cleared = await vault.setSecret("a/b", VALUE, {
      allowedDestinations: null,
      approval: null,
    });
    expect(cleared.allowedDestinations).toBeNull();
    expect(cleared.approval).toBeNull();
    expect(bodies).toEqual([
      {
        value: VALUE,
        allowed_destinations: [
          { origin: "https://api.openai.com", path_prefixes: ["/v1/"] },
          { origin: "https://api.example.com" },
        ],
        approval: "per_call",
      },
      { value: VALUE, allowed_destinations: [], approval: "none" },
    ]);
  });

  it("sends only the fields given", async () => {
    let body: unknown;
    nock(ORIGIN)
      .put("/v1/secrets/a/b", (sent) => {
        body = sent;
        return true;
      })
      .reply(200, { path: "a/b", version: 2 });
    await testVault().setSecret("a/b", VALUE);
    expect(body).toEqual({ value: VALUE });
  });

  it("sends ifVersion as If-Match, including 0 for create-only", async () => {
    nock(ORIGIN, { reqheaders: { "if-match": "0" } })
      .put("/v1/secrets/a/b")
      .reply(201, { path: "a/b", version: 1 });
    nock(ORIGIN, { reqheaders: { "if-match": "4" } })
      .put("/v1/secrets/a/c")
      .reply(200, { path: "a/c", version: 5 });
    const vault = testVault();
    await vault.setSecret("a/b", VALUE, { ifVersion: 0 });
    await vault.setSecret("a/c", VALUE, { ifVersion: 4 });
  });

  it("sends an Idempotency-Key", async () => {
    nock(ORIGIN, { reqheaders: { "idempotency-key": /^[0-9a-f-]{36}$/ } })
      .put("/v1/secrets/a/b")
      .reply(201, { path: "a/b", version: 1 });
    await testVault().setSecret("a/b", VALUE);
  });

  it("refuses an invalid Date before sending anything", async () => {
    const error = await rejectionOf(
      testVault().setSecret("a/b", VALUE, { expiresAt: new Date("nonsense") }),
    );
    expect(error).toBeInstanceOf(AgentVaultValidationError);
  });
});

describe("getMetadata", () => {
  it("reads /v1/metadata/{path} with its version history", async () => {
    nock(ORIGIN)
      .get("/v1/metadata/a/b")
      .reply(200, {
        ...wireSecret("a/b", { version: 2 }),
        value: undefined,
        versions: [
          {
            version: 1,
            created_at: "2026-01-01T00:00:00.000Z",
            retired_at: "2026-01-02T00:00:00.000Z",
          },
          { version: 2, created_at: "2026-01-02T00:00:00.000Z", retired_at: null },
        ],
      });
    const metadata = await testVault().getMetadata("a/b");
    expect(metadata.versions?.map((entry) => entry.version)).toEqual([1, 2]);
    expect(metadata.versions?.[0]?.retiredAt).toEqual(new Date("2026-01-02T00:00:00.000Z"));
  });
});

describe("deleteSecret", () => {
  it("DELETEs the path and resolves on 204", async () => {
    nock(ORIGIN, { reqheaders: { "idempotency-key": /.+/ } })
      .delete("/v1/secrets/a/b")
      .reply(204);
    await expect(testVault().deleteSecret("a/b")).resolves.toBeUndefined();
  });
});

describe("rotateSecret", () => {
  it("POSTs the new value and grace period and maps the result", async () => {
    let body: unknown;
    nock(ORIGIN)
      .post("/v1/secrets/a/b/rotate", (sent) => {
        body = sent;
        return true;
      })
      .reply(200, {
        path: "a/b",
        new_version: 3,
        old_version: 2,
        expires_at: "2026-01-15T10:35:00.000Z",
        grace_period_seconds: 300,
      });
    const result = await testVault().rotateSecret("a/b", "canary-value-new-2b7c", {
      gracePeriodSeconds: 300,
    });
    expect(body).toEqual({ new_value: "canary-value-new-2b7c", grace_period_seconds: 300 });
    expect(result).toEqual({
      path: "a/b",
      newVersion: 3,
      oldVersion: 2,
      expiresAt: new Date("2026-01-15T10:35:00.000Z"),
      gracePeriodSeconds: 300,
    });
  });
});

describe("listSecrets", () => {
  function mockPages() {
    nock(ORIGIN)
      .get("/v1/secrets")
      .query({ namespace: "production", limit: "2" })
      .reply(200, {
        namespace: "production",
        items: [{ path: "production/a" }, { path: "production/b" }],
        next_cursor: "c2",
      });
    nock(ORIGIN)
      .get("/v1/secrets")
      .query({ namespace: "production", limit: "2", cursor: "c2" })
      .reply(200, {
        namespace: "production",
        items: [{ path: "production/c" }],
        next_cursor: null,
      });
  }

  it("resolves to one page when awaited", async () => {
    nock(ORIGIN)
      .get("/v1/secrets")
      .query({ namespace: "production", limit: "2" })
      .reply(200, {
        namespace: "production",
        items: [{ path: "production/a", version: 1, tier: "standard" }],
        next_cursor: "c2",
      });
    const page = await testVault().listSecrets("production", { limit: 2 });
    expect(page.items.map((item) => item.path)).toEqual(["production/a"]);
    expect(page.nextCursor).toBe("c2");
    expect(page.namespace).toBe("production");
  });

  it("walks every page with for await", async () => {
    mockPages();
    const paths: string[] = [];
    for await (const item of testVault().listSecrets("production", { limit: 2 })) {
      paths.push(item.path);
    }
    expect(paths).toEqual(["production/a", "production/b", "production/c"]);
  });

  it("sends nothing until awaited or iterated", async () => {
    const fetch = vi.fn(async () => new Response("{}"));
    testVault({ fetch }).listSecrets("production");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetch).not.toHaveBeenCalled();
  });
});
