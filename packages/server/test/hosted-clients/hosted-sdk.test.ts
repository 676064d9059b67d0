import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostedVault, startHostedVault } from "./hosted-vault.js";

// The hosted product's SDK 1.0 (`@agentsecretstore/sdk`, installed as hosted-sdk), unchanged,
// through its own API against our server. Its package.json sends `import` to a file it does
// not ship (dist/index.mjs), so only `require` loads it, as Node users of it do.
type HostedSdk = typeof import("hosted-sdk");
const sdk = createRequire(import.meta.url)("hosted-sdk") as HostedSdk;

const VALUE = "fixture-hosted-sdk-value-41c7";
const SECOND = "fixture-hosted-sdk-value-2-9d0e";

let vault: HostedVault;
let agent: InstanceType<HostedSdk["AgentVault"]>;

beforeAll(async () => {
  vault = await startHostedVault();
  // Configured as its README says: the agent key, and here our server's address.
  agent = new sdk.AgentVault({ agentKey: vault.agentKey, baseUrl: vault.apiUrl, retries: 0 });
});

afterAll(async () => {
  await vault?.close();
});

describe("the hosted SDK 1.0", () => {
  it("sets a secret with a type, tier and metadata, and gets its value back", async () => {
    const written = await agent.setSecret("production/openai/OPENAI_API_KEY", VALUE, {
      secretType: "api_key",
      accessTier: "standard",
      metadata: { team: "ml" },
    });
    expect(written).toMatchObject({ version: 1, access_tier: "standard", secret_type: "api_key" });
    expect(JSON.stringify(written)).not.toContain(VALUE);
    expect(await agent.getSecret("production/openai/OPENAI_API_KEY")).toBe(VALUE);
    const withMetadata = await agent.getSecretWithMetadata("production/openai/OPENAI_API_KEY");
    expect(withMetadata).toMatchObject({
      value: VALUE,
      version: 1,
      metadata: { team: "ml" },
      namespace: "production/openai",
      key: "OPENAI_API_KEY",
    });
  });

  it("lists a namespace's secrets without their values", async () => {
    await agent.setSecret("production/openai/ORG_ID", SECOND);
    const listing = (await agent.listSecrets("production/openai")) as {
      items: { key: string }[];
    };
    expect(listing.items.map((item) => item.key)).toEqual(["OPENAI_API_KEY", "ORG_ID"]);
    expect(JSON.stringify(listing)).not.toContain(VALUE);
  });

  it("imports a .env text into a namespace", async () => {
    const imported = await agent.importEnv(`A_KEY=${VALUE}\nB_KEY=${SECOND}\n`, "staging/app");
    expect(imported).toMatchObject({ imported_count: 2, keys: ["A_KEY", "B_KEY"], skipped: 0 });
    expect(await agent.getSecret("staging/app/B_KEY")).toBe(SECOND);
  });

  it("requests a scoped token with a ttl and max uses", async () => {
    const token = await agent.requestToken({
      scopes: ["secrets:read:staging/*"],
      ttl: "15m",
      maxUses: 2,
    });
    expect(token.token).toMatch(/^ast_tok_/);
    expect(token).toMatchObject({ requires_approval: false, max_uses: 2 });
    const read = (path: string) => vault.api("GET", `/v1/secrets/${path}`, token.token ?? "");
    expect((await read("staging/app/A_KEY")).body).toMatchObject({ value: VALUE });
    expect((await read("production/openai/OPENAI_API_KEY")).status).toBe(403);
    expect((await read("staging/app/B_KEY")).status).toBe(200);
    expect((await read("staging/app/B_KEY")).status).toBe(401);
  });

  it("requests a token limited to an IP allowlist", async () => {
    const token = await agent.requestToken({
      scopes: ["secrets:read:staging/*"],
      ipAllowlist: ["192.0.2.0/24"],
    });
    expect(token).toMatchObject({ ip_allowlist: ["192.0.2.0/24"] });
    const read = await vault.api("GET", "/v1/secrets/staging/app/A_KEY", token.token ?? "");
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ error: { code: "IP_NOT_ALLOWED" } });
  });

  it("deletes a secret (a DELETE with a JSON content type and no body)", async () => {
    await agent.deleteSecret("production/openai/ORG_ID");
    const error = await agent.getSecret("production/openai/ORG_ID").catch((caught) => caught);
    expect(error).toBeInstanceOf(sdk.SecretNotFoundError);
    expect(error.message).toContain("production/openai/ORG_ID");
  });

  it("meets a sensitive secret with ApprovalRequiredError and its approval id", async () => {
    await agent.setSecret("production/db/PASSWORD", SECOND, { accessTier: "sensitive" });
    const error = await agent.getSecret("production/db/PASSWORD").catch((caught) => caught);
    expect(error).toBeInstanceOf(sdk.ApprovalRequiredError);
    expect(error.approvalId).toMatch(/^apr_/);
    const approval = await vault.api("GET", `/v1/approvals/${error.approvalId}`, vault.adminKey);
    expect(approval.body).toMatchObject({ status: "pending", access_tier: "sensitive" });
  });

  it("maps our errors onto its classes with our messages", async () => {
    const stranger = new sdk.AgentVault({
      agentKey: "ass_live_not-a-real-key-for-this-test",
      baseUrl: vault.apiUrl,
      retries: 0,
    });
    const error = await stranger.getSecret("production/x").catch((caught) => caught);
    expect(error).toBeInstanceOf(sdk.AuthError);
    expect(error.message).toContain("Missing or invalid credential");
  });

  it("left no value in the server's logs", () => {
    const logs = vault.logs.join("\n");
    expect(logs).toContain("request completed");
    expect(logs).not.toContain(VALUE);
    expect(logs).not.toContain(SECOND);
  });
});
