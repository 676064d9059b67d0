import { afterEach, describe, expect, it } from "vitest";
import {
  bearer,
  createTestServer,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

// The default budgets on a real socket: sized for real work (a start-up burst of reads), a smaller
// budget for writes and mints, one budget per token family, and an address's failed
// authentications that never slow down a valid credential from the same address.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const BAD_KEY = "ass_live_0000000000000000000000000000000000000000";

/** A server with the default rate limits, listening on a free loopback port. */
async function listening(
  rateLimits: NonNullable<Parameters<typeof createTestServer>[0]>["rateLimits"] = {},
): Promise<{ server: TestServer; baseUrl: string }> {
  const started = await createTestServer({ rateLimits });
  server = started;
  await putSecret(started, started.agentKey, "boot/config", { value: "canary-value-burst" });
  const address = await started.app.listen({ host: "127.0.0.1", port: 0 });
  return { server: started, baseUrl: address };
}

/** Runs `count` calls of `call`, `concurrency` at a time; resolves to their statuses in order. */
async function inParallel(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<number>,
): Promise<number[]> {
  const statuses: number[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        statuses[index] = await call(index);
      }
    }),
  );
  return statuses;
}

async function status(url: string, credential: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(url, {
    ...init,
    headers: { ...bearer(credential), ...(init.headers as Record<string, string>) },
  });
  await response.arrayBuffer();
  return response.status;
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const code of statuses) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describe("default budgets", () => {
  it("let a start-up burst of 1,000 reads by one agent key pass", async () => {
    const { server: vault, baseUrl } = await listening();
    const started = performance.now();
    const statuses = await inParallel(1000, 20, () =>
      status(`${baseUrl}/v1/secrets/boot/config`, vault.agentKey),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(tally(statuses)).toEqual({ 200: 1000 });
    console.info(`1,000-read burst: ${seconds.toFixed(2)} s (${Math.round(1000 / seconds)}/s)`);
  });

  it("refuse mints past the write budget with 429 and Retry-After while reads go on", async () => {
    const { server: vault, baseUrl } = await listening();
    const mint = () =>
      status(`${baseUrl}/v1/tokens`, vault.agentKey, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scope: "secrets:read:boot/*", ttl_seconds: 60 }),
      });
    // The secret written at start spent one of the 120 writes a minute.
    const minted = await inParallel(119, 8, mint);
    expect(tally(minted)).toEqual({ 201: 119 });
    const refused = await fetch(`${baseUrl}/v1/tokens`, {
      method: "POST",
      headers: { ...bearer(vault.agentKey), "content-type": "application/json" },
      body: JSON.stringify({ scope: "secrets:read:boot/*" }),
    });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; retry_after: number } };
    expect(body.error).toMatchObject({ code: "RATE_LIMITED", retry_after: retryAfter });
    // A secret write spends the same budget; reads go on.
    expect(
      await status(`${baseUrl}/v1/secrets/boot/other`, vault.agentKey, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value: "canary-value-late" }),
      }),
    ).toBe(429);
    const reads = await inParallel(100, 10, () =>
      status(`${baseUrl}/v1/secrets/boot/config`, vault.agentKey),
    );
    expect(tally(reads)).toEqual({ 200: 100 });
  });

  it("keep a good key reading at full speed during a bad-key storm from its own address", async () => {
    const { server: vault, baseUrl } = await listening();
    const read = () => status(`${baseUrl}/v1/secrets/boot/config`, vault.agentKey);
    const quietStart = performance.now();
    expect(tally(await inParallel(200, 4, read))).toEqual({ 200: 200 });
    const quietMs = performance.now() - quietStart;

    let storming = true;
    const storm = (async () => {
      const statuses: number[] = [];
      while (storming) {
        statuses.push(...(await inParallel(40, 8, () => status(`${baseUrl}/v1/me`, BAD_KEY))));
      }
      return statuses;
    })();
    const stormStart = performance.now();
    const reads = await inParallel(200, 4, read);
    const stormMs = performance.now() - stormStart;
    storming = false;
    const bad = await storm;

    expect(tally(reads)).toEqual({ 200: 200 });
    // The address's budget (10 failures a minute) turned the rest of the storm into 429s.
    expect(tally(bad)[401]).toBe(10);
    expect(tally(bad)[429]).toBe(bad.length - 10);
    console.info(
      `bad-key storm: 200 good reads in ${Math.round(stormMs)} ms during ${bad.length} bad requests (${Math.round(quietMs)} ms without)`,
    );
  });
});

describe("a token family", () => {
  it("shares its root issuer's budget: children open no new one", async () => {
    server = await createTestServer({
      rateLimits: { perCredential: { points: 6, durationSeconds: 60 } },
    });
    const vault = server;
    await putSecret(vault, vault.agentKey, "fam/x", { value: "canary-value-family" }); // 1
    const parent = await requestToken(vault, vault.agentKey, { scope: "secrets:read:fam/*" }); // 2
    expect(parent.statusCode).toBe(201);
    const child = await requestToken(vault, parent.body.token, { scope: "secrets:read:fam/*" }); // 3
    expect(child.statusCode).toBe(201);
    const grandchild = await requestToken(vault, child.body.token, {
      scope: "secrets:read:fam/*",
    }); // 4
    expect(grandchild.statusCode).toBe(201);
    const read = (credential: string) =>
      vault.app.inject({ method: "GET", url: "/v1/secrets/fam/x", headers: bearer(credential) });
    expect((await read(grandchild.body.token)).statusCode).toBe(200); // 5
    expect((await read(child.body.token)).statusCode).toBe(200); // 6
    for (const credential of [grandchild.body.token, parent.body.token, vault.agentKey]) {
      expect((await read(credential)).statusCode).toBe(429);
    }
    // Another agent's budget is its own.
    expect(
      (await vault.app.inject({ method: "GET", url: "/v1/me", headers: bearer(vault.adminKey) }))
        .statusCode,
    ).toBe(200);
  });
});
