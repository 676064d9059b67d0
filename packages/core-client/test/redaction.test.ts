import { inspect } from "node:util";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { createSecretCache } from "../src/cache/index.js";
import { AgentVault, AgentVaultConfigurationError } from "../src/index.js";
import { useNock } from "./support/nock-setup.js";
import {
  AGENT_KEY,
  CHILD_TOKEN,
  capturingLogger,
  ORIGIN,
  rejectionOf,
  testVault,
  VALUE,
  wireError,
  wireSecret,
  wireToken,
} from "./support/vault-fixtures.js";

useNock();

const SECRETS = [VALUE, AGENT_KEY, CHILD_TOKEN];

function expectClean(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("values and credentials never leak", () => {
  it("a read secret and a minted token print redacted everywhere", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    nock(ORIGIN).post("/v1/tokens").reply(201, wireToken());
    const vault = testVault();
    const secret = await vault.getSecret("a/b");
    const token = await vault.requestToken({ scope: "secrets:read:a/*" });
    for (const item of [secret, token]) {
      expectClean(String(item));
      expectClean(`${item}`);
      expectClean(JSON.stringify(item));
      expectClean(inspect(item, { depth: 10, showHidden: true }));
      expectClean(inspect({ wrapped: [item] }, { depth: 10 }));
    }
    expect(secret.value).toBe(VALUE);
    expect(token.value).toBe(CHILD_TOKEN);
  });

  it("a capturing logger sees no value or credential across a whole session", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(200, wireSecret("a/b"));
    nock(ORIGIN).put("/v1/secrets/a/b").reply(200, { path: "a/b", version: 2 });
    nock(ORIGIN).post("/v1/tokens").reply(201, wireToken());
    nock(ORIGIN).delete("/v1/tokens/self").reply(204);
    nock(ORIGIN)
      .get("/v1/secrets/a/c")
      .reply(404, wireError("SECRET_NOT_FOUND", { path: "a/c" }));
    const logger = capturingLogger();
    const vault = testVault({ logger, cache: createSecretCache({ ttl: 1000 }) });
    await vault.getSecret("a/b");
    await vault.setSecret("a/b", VALUE);
    await vault.requestToken({ scope: "secrets:read:a/*" });
    await vault.revokeToken(CHILD_TOKEN);
    await rejectionOf(vault.getSecret("a/c"));
    expect(logger.debug).toHaveBeenCalled();
    expectClean(logger.lines());
  });

  it("an error never carries the value sent, even when the server echoes it", async () => {
    nock(ORIGIN)
      .put("/v1/secrets/a/b")
      .reply(400, {
        error: {
          code: "VALIDATION_ERROR",
          message: `value ${VALUE} rejected for ${AGENT_KEY}`,
          issues: [{ field: "value", message: `${VALUE} is not allowed` }],
        },
      });
    const error = await rejectionOf(testVault().setSecret("a/b", VALUE));
    expectClean(error.message);
    expectClean(String(error.stack));
    expectClean(inspect(error, { depth: 10 }));
    expectClean(JSON.stringify(error));
  });

  it("an auth failure does not name the credential that failed", async () => {
    nock(ORIGIN).get("/v1/secrets/a/b").reply(401, wireError("UNAUTHORIZED"));
    const error = await rejectionOf(testVault().getSecret("a/b", { token: CHILD_TOKEN }));
    expectClean(`${error.message} ${inspect(error)}`);
  });

  it("a malformed ASS_BASE_URL is not echoed in the error", () => {
    const create = () => new AgentVault({ env: { ASS_BASE_URL: "ass_live_pasted0000here" } });
    expect(create).toThrow(AgentVaultConfigurationError);
    expect(create).toThrow(/^(?![\s\S]*ass_live_pasted)/);
  });
});
