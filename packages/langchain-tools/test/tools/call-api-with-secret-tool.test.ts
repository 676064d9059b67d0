import type { AllowedDestination } from "@agentsecretstore/agent-tools";
import { FakeVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoServer } from "../../../agent-tools/test/support/echo-server.js";
import { vaultTools } from "../support/tool-helpers.js";

const CANARY = "canary-value-0d1e2f3a";

let echo: Awaited<ReturnType<typeof startEchoServer>>;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo.close();
});

function setup(destinations?: AllowedDestination[], maxResponseCharacters?: number) {
  const vault = new FakeVault();
  vault.put("production/service/token", CANARY);
  vault.put("production/other/token", "canary-other-value-4b5c");
  return vaultTools(vault, {
    allowedDestinations: destinations ?? [
      {
        origin: echo.origin,
        pathPrefixes: ["/v1", "/redirect", "/large"],
        secretPaths: ["production/service/*"],
      },
    ],
    ...(maxResponseCharacters !== undefined && { maxResponseCharacters }),
  });
}

const lastRequest = () => echo.requests.at(-1);

describe("call_api_with_secret", () => {
  it("sends the credential as a bearer token and masks it in the echoed response", async () => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/items?limit=2`,
      secretPath: "production/service/token",
    });
    expect(lastRequest()?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(result).toMatchObject({ status: "completed", httpStatus: 200, truncated: false });
    expect(String(result.body)).toContain("Bearer [REDACTED]");
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("puts the credential into a query parameter when asked, and masks it there too", async () => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/search?q=x`,
      method: "POST",
      secretPath: "production/service/token",
      credentialIn: "query",
      credentialName: "api_key",
      headers: { "content-type": "application/json" },
      body: '{"query":"x"}',
    });
    expect(lastRequest()?.url).toBe(`/v1/search?q=x&api_key=${CANARY}`);
    expect(lastRequest()?.body).toBe('{"query":"x"}');
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it("lets the credential header win over a header the model set", async () => {
    const { call } = setup();
    await call("call_api_with_secret", {
      url: `${echo.origin}/v1/x`,
      secretPath: "production/service/token",
      credentialName: "X-Api-Key",
      headers: { "x-api-key": "model-chosen", accept: "application/json" },
    });
    expect(lastRequest()?.headers["x-api-key"]).toBe(CANARY);
    expect(lastRequest()?.headers.accept).toBe("application/json");
  });

  it.each([
    ["another origin", "http://127.0.0.2:1/v1/x", "production/service/token", "GET"],
    ["a path outside the prefixes", "/admin", "production/service/token", "GET"],
    ["a prefix that only shares letters", "/v10/x", "production/service/token", "GET"],
    ["an encoded slash", "/v1/..%2fadmin", "production/service/token", "GET"],
    ["a secret not allowed there", "/v1/x", "production/other/token", "GET"],
  ])("refuses %s without reading the secret", async (_case, url, secretPath, method) => {
    const { call } = setup();
    const before = echo.requests.length;
    const result = await call("call_api_with_secret", {
      url: url.startsWith("/") ? `${echo.origin}${url}` : url,
      secretPath,
      method,
    });
    expect(result.status).toBe("not_allowed");
    expect(String(result.message)).toContain("Allowed:");
    expect(echo.requests.length).toBe(before);
  });

  it("refuses a method the destination does not allow", async () => {
    const { call } = setup([{ origin: echo.origin, methods: ["GET"] }]);
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/x`,
      method: "DELETE",
      secretPath: "production/service/token",
    });
    expect(result.status).toBe("not_allowed");
  });

  it("does not follow redirects", async () => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/redirect`,
      secretPath: "production/service/token",
    });
    expect(result).toMatchObject({ httpStatus: 302, location: "http://elsewhere.invalid/steal" });
  });

  it("cuts long responses to the configured length", async () => {
    const { call } = setup(undefined, 1_000);
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/large`,
      secretPath: "production/service/token",
    });
    expect(String(result.body)).toHaveLength(1_000);
    expect(result.truncated).toBe(true);
  });

  it("answers invalid headers with invalid_request before reading the secret", async () => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${echo.origin}/v1/x`,
      secretPath: "production/service/token",
      headers: { "bad header": "x" },
    });
    expect(result.status).toBe("invalid_request");
  });

  it("reports a request that could not be sent as request_failed", async () => {
    const { call } = setup([{ origin: "http://127.0.0.1:9" }]);
    const result = await call("call_api_with_secret", {
      url: "http://127.0.0.1:9/x",
      secretPath: "production/service/token",
    });
    expect(result.status).toBe("request_failed");
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });
});
