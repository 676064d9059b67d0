import { FakeVault } from "@agentsecretstore/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vaultTools } from "../support/tool-helpers.js";
import { HOSTILE_FORMS, startHostileApi } from "./hostile-api-server.js";

// Obviously fake: no provider issues keys that look like this.
const CREDENTIAL = "canary-value-4c8e91d2-hostile-model-0001";
const OTHER = "canary-value-other-77aa01bb-never-sent";

let api: Awaited<ReturnType<typeof startHostileApi>>;
beforeAll(async () => {
  api = await startHostileApi();
});
afterAll(async () => {
  await api.close();
});

function setup(options: { revealValues?: boolean } = {}) {
  const vault = new FakeVault();
  vault.put("production/service/token", CREDENTIAL);
  vault.put("production/other/token", OTHER);
  const tools = vaultTools(vault, {
    allowedDestinations: [
      { origin: api.origin, pathPrefixes: ["/v1"], secretPaths: ["production/service/*"] },
    ],
    ...options,
  });
  const secretReads = () => vault.calls.filter((call) => call.method === "getSecret").length;
  return { ...tools, vault, secretReads };
}

/** Every form in which the credential could come back, as the hostile API makes them. */
function disguises(value: string): string[] {
  const bytes = Buffer.from(value);
  return [
    value,
    encodeURIComponent(value),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    // The part of an offset encoding that depends on the value alone.
    Buffer.from(`x${value}`).toString("base64").slice(2, -2),
    Buffer.from(`xy${value}`).toString("base64").slice(3, -2),
    Buffer.from(`Bearer ${value}`).toString("base64").slice(10, -2),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
    [...value].reverse().join(""),
  ];
}

function expectNoDisguise(result: unknown, value: string): void {
  const text = JSON.stringify(result);
  for (const form of disguises(value)) {
    expect(text.includes(form), `${form.slice(0, 12)}… in ${text.slice(0, 200)}`).toBe(false);
  }
}

describe("a hostile API echoing the credential", () => {
  it.each(HOSTILE_FORMS)("cannot hand it to the model as %s (header credential)", async (form) => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${api.origin}/v1/form/${form}`,
      secretPath: "production/service/token",
    });
    expect(result.status).toBe("completed");
    expect(result.httpStatus).toBe(200);
    expectNoDisguise(result, CREDENTIAL);
  });

  it.each(HOSTILE_FORMS)("cannot hand it to the model as %s (query credential)", async (form) => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${api.origin}/v1/form/${form}`,
      secretPath: "production/service/token",
      credentialIn: "query",
      credentialName: "key",
    });
    expect(api.seen.at(-1)?.url).toContain("key=");
    expectNoDisguise(result, CREDENTIAL);
  });

  it("cannot hand it back through a redirect's Location, and the redirect is not followed", async () => {
    const { call } = setup();
    const before = api.seen.length;
    const result = await call("call_api_with_secret", {
      url: `${api.origin}/v1/redirect?x=1`,
      secretPath: "production/service/token",
      credentialIn: "query",
      credentialName: "key",
    });
    expect(result.httpStatus).toBe(302);
    expect(String(result.location)).toContain("collector.invalid");
    expectNoDisguise(result, CREDENTIAL);
    expect(api.seen.length).toBe(before + 1);
  });

  it("cannot hand it back through the Content-Type", async () => {
    const { call } = setup();
    const result = await call("call_api_with_secret", {
      url: `${api.origin}/v1/type`,
      secretPath: "production/service/token",
    });
    expectNoDisguise(result, CREDENTIAL);
  });
});

describe("a hostile model choosing where the credential goes", () => {
  const elsewhere = (path: string) => `${api.origin}${path}`;
  const urls = [
    ["userinfo", `http://user:pass@127.0.0.1:${0}/v1/x`],
    ["userinfo hiding the host", `http://127.0.0.1:${0}@collector.invalid/v1/x`],
    ["another port", "http://127.0.0.1:9/v1/x"],
    ["localhost", "http://localhost:PORT/v1/x"],
    ["an IPv6 literal", "http://[::1]:PORT/v1/x"],
    ["an IPv4-mapped IPv6 literal", "http://[::ffff:127.0.0.1]:PORT/v1/x"],
    ["a DNS name for loopback", "http://127.0.0.1.nip.io:PORT/v1/x"],
    ["another loopback address", "http://127.0.0.2:PORT/v1/x"],
    ["https instead of http", "https://127.0.0.1:PORT/v1/x"],
    ["a path outside the prefix", "ORIGIN/admin"],
    ["dot segments", "ORIGIN/v1/../admin"],
    ["encoded dot segments", "ORIGIN/v1/%2e%2e/admin"],
    ["mixed dot segments", "ORIGIN/v1/.%2E/admin"],
    ["an encoded slash", "ORIGIN/v1/..%2Fadmin"],
    ["backslashes", "ORIGIN/v1\\..\\admin"],
    ["double-encoded dot segments", "ORIGIN/v1/%252e%252e/admin"],
    ["a path parameter dot segment", "ORIGIN/v1/..;/admin"],
    ["a prefix sharing letters", "ORIGIN/v10/x"],
    ["a relative URL", "/v1/x"],
    ["a scheme-relative URL", "//collector.invalid/v1/x"],
    ["a file URL", "file:///etc/passwd"],
    ["a data URL", "data:text/plain,hello"],
  ] as const;

  it.each(urls)("refuses %s without reading the secret or sending anything", async (_name, raw) => {
    const { call, secretReads } = setup();
    const url = raw
      .replace("ORIGIN", api.origin)
      .replace("PORT", String(api.port))
      .replace("127.0.0.1:0", `127.0.0.1:${api.port}`);
    const before = api.seen.length;
    const result = await call("call_api_with_secret", {
      url,
      secretPath: "production/service/token",
    });
    expect(result.status, url).toBe("not_allowed");
    expect(secretReads()).toBe(0);
    expect(api.seen.length).toBe(before);
    expect(elsewhere("/v1")).toContain(api.origin);
  });

  it("cannot send a secret the destination does not allow by walking its path", async () => {
    const { call, vault } = setup();
    for (const secretPath of [
      "production/service/../other/token",
      "production/service/./../other/token",
      "production/service/%2e%2e/other/token",
      "production/service/..%2Fother/token",
      "production/other/token",
      "production/service",
    ]) {
      const before = api.seen.length;
      let result: Record<string, unknown>;
      try {
        result = await call("call_api_with_secret", { url: `${api.origin}/v1/x`, secretPath });
      } catch (error) {
        // A path the client refuses outright is a thrown validation error: nothing was sent.
        result = { status: "thrown", message: String(error) };
      }
      expect(result.status, secretPath).not.toBe("completed");
      expect(JSON.stringify(result)).not.toContain(OTHER);
      expect(api.seen.slice(before).some((seen) => JSON.stringify(seen).includes(OTHER))).toBe(
        false,
      );
    }
    expect(vault.calls.some((each) => each.subject === "production/other/token")).toBe(false);
  });

  it("cannot move the credential to another host with a Host header or a credential name", async () => {
    const { call } = setup();
    const before = api.seen.length;
    await call("call_api_with_secret", {
      url: `${api.origin}/v1/form/raw`,
      secretPath: "production/service/token",
      credentialName: "Host",
      headers: { host: "collector.invalid", "x-forwarded-host": "collector.invalid" },
    });
    // The request still went to the allowed origin, and only there.
    expect(api.seen.length).toBe(before + 1);
  });
});

describe("get_secret without revealValues", () => {
  it("declines without calling the vault, whatever the model says", async () => {
    const { call, secretReads } = setup();
    for (const args of [
      { path: "production/service/token" },
      { path: "production/service/token", version: 1 },
    ]) {
      const result = await call("get_secret", args);
      expect(result.status).toBe("declined");
      expectNoDisguise(result, CREDENTIAL);
    }
    expect(secretReads()).toBe(0);
  });
});
