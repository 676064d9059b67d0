import { describe, expect, it } from "vitest";
import type { ApiKeyProvider } from "./api-key-provider.js";
import { keyedFetch, type ProviderFetch } from "./keyed-fetch.js";
import { SecretRegistry } from "./secret-registry.js";

const KEY_V1 = "fixture-model-key-v1-3a9c";
const KEY_V2 = "fixture-model-key-v2-8e1b";
const PLACEHOLDER = "vault-managed-key";

/** A key provider that serves `keys[0]` until refreshed, then the next key. */
function rotatingKey(...keys: string[]): ApiKeyProvider & { reads: number } {
  let index = 0;
  const provider = Object.assign(async () => keys[index] ?? "", {
    reads: 0,
    refresh: async () => {
      index = Math.min(index + 1, keys.length - 1);
      provider.reads += 1;
      return keys[index] ?? "";
    },
  });
  return provider;
}

/** A model API that accepts only `validKey` in `x-api-key`, recording what it got. */
function modelApi(validKey: () => string) {
  const seen: Array<{ url: string; key: string | null }> = [];
  const fetch: ProviderFetch = async (input, init) => {
    const key = new Headers(init?.headers).get("x-api-key");
    seen.push({ url: String(input), key });
    return new Response(key === validKey() ? "ok" : "unauthorized", {
      status: key === validKey() ? 200 : 401,
    });
  };
  return { seen, fetch };
}

describe("keyedFetch", () => {
  it("puts the vault's key where the SDK put the placeholder, in headers and the URL", async () => {
    const registry = new SecretRegistry();
    const api = modelApi(() => KEY_V1);
    const send = keyedFetch(rotatingKey(KEY_V1), {
      placeholder: PLACEHOLDER,
      registry,
      fetch: api.fetch,
    });
    const response = await send(`https://models.example/v1?key=${PLACEHOLDER}`, {
      headers: { "x-api-key": PLACEHOLDER },
    });
    expect(response.status).toBe(200);
    expect(api.seen).toEqual([{ url: `https://models.example/v1?key=${KEY_V1}`, key: KEY_V1 }]);
    expect(registry.has(KEY_V1)).toBe(true);
  });

  it("refreshes the key after a 401 and sends the request once more", async () => {
    const credential = rotatingKey(KEY_V1, KEY_V2);
    const api = modelApi(() => KEY_V2);
    const send = keyedFetch(credential, { placeholder: PLACEHOLDER, fetch: api.fetch });
    const response = await send("https://models.example/v1", {
      method: "POST",
      headers: { "x-api-key": PLACEHOLDER },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(api.seen.map((request) => request.key)).toEqual([KEY_V1, KEY_V2]);
    expect(credential.reads).toBe(1);
  });

  it("returns the 401 when the refreshed key is the same one", async () => {
    const api = modelApi(() => "another-key-entirely");
    const send = keyedFetch(rotatingKey(KEY_V1), { placeholder: PLACEHOLDER, fetch: api.fetch });
    const response = await send("https://models.example/v1", {
      headers: { "x-api-key": PLACEHOLDER },
    });
    expect(response.status).toBe(401);
    expect(api.seen).toHaveLength(1);
  });

  it("does not send a streamed body twice", async () => {
    const api = modelApi(() => KEY_V2);
    const send = keyedFetch(rotatingKey(KEY_V1, KEY_V2), {
      placeholder: PLACEHOLDER,
      fetch: api.fetch,
    });
    const body = new ReadableStream({
      start: (controller) => controller.close(),
    });
    const response = await send("https://models.example/v1", {
      method: "POST",
      headers: { "x-api-key": PLACEHOLDER },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(api.seen).toHaveLength(1);
  });

  it("swaps the key an SDK put in itself when it must resend", async () => {
    const api = modelApi(() => KEY_V2);
    const send = keyedFetch(rotatingKey(KEY_V1, KEY_V2), { fetch: api.fetch });
    const response = await send("https://models.example/v1", { headers: { "x-api-key": KEY_V1 } });
    expect(response.status).toBe(200);
    expect(api.seen.map((request) => request.key)).toEqual([KEY_V1, KEY_V2]);
  });
});
