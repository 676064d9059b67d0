import { afterEach, describe, expect, it } from "vitest";
import { bearer, createTestServer, putSecret, type TestServer } from "./helpers/test-server.js";

// `max_uses` bounds a whole token family: a child's uses come out of its parent's remaining
// budget (reserved when it is minted), so no way of minting children yields more reads than the
// root was given. It used to be 2^(n−1): max_uses 8 → 128 reads by minting n−1 children.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const SCOPE = "secrets:read:fan/*";

async function vaultWithSecret(): Promise<TestServer> {
  server = await createTestServer();
  await putSecret(server, server.adminKey, "fan/key", { value: "canary-value-fanout" });
  return server;
}

async function mint(
  vault: TestServer,
  credential: string,
  maxUses?: number,
): Promise<string | null> {
  const response = await vault.app.inject({
    method: "POST",
    url: "/v1/tokens",
    headers: bearer(credential),
    payload: maxUses === undefined ? { scope: SCOPE } : { scope: SCOPE, max_uses: maxUses },
  });
  return response.statusCode === 201 ? (response.json().token as string) : null;
}

async function read(vault: TestServer, credential: string): Promise<boolean> {
  const response = await vault.app.inject({
    method: "GET",
    url: "/v1/secrets/fan/key",
    headers: bearer(credential),
  });
  return response.statusCode === 200;
}

/** Reads with `token` until it is refused; the number of reads that succeeded. */
async function readAll(vault: TestServer, token: string): Promise<number> {
  let reads = 0;
  while (reads < 1000 && (await read(vault, token))) reads += 1;
  return reads;
}

/** The attack: a token with n uses mints a child with n−1, recursively; all then read. */
async function halvingTree(vault: TestServer, token: string, uses: number): Promise<number> {
  let reads = 0;
  if (uses > 1) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const child = await mint(vault, token, uses - 1);
      if (child !== null) reads += await halvingTree(vault, child, uses - 1);
    }
  }
  return reads + (await readAll(vault, token));
}

/** Children of one use each for as long as the parent can pay, then the parent's leftovers. */
async function singleUseChildren(vault: TestServer, token: string): Promise<number> {
  let reads = 0;
  for (
    let child = await mint(vault, token, 1);
    child !== null;
    child = await mint(vault, token, 1)
  ) {
    reads += await readAll(vault, child);
  }
  return reads + (await readAll(vault, token));
}

/** Children that take the default (everything the parent has left), all the way down. */
async function defaultChildren(vault: TestServer, token: string): Promise<number> {
  const child = await mint(vault, token);
  const below = child === null ? 0 : await defaultChildren(vault, child);
  return below + (await readAll(vault, token));
}

/** Runs `attack` from a max_uses 8 root and checks the whole family read at most 8 times. */
async function expectAtMostEightReads(
  attack: (vault: TestServer, token: string, uses: number) => Promise<number>,
): Promise<void> {
  const vault = await vaultWithSecret();
  const root = await mint(vault, vault.agentKey, 8);
  expect(root).not.toBeNull();
  const reads = await attack(vault, root as string, 8);
  expect(reads).toBeGreaterThanOrEqual(1);
  expect(reads).toBeLessThanOrEqual(8);
}

describe("max_uses over a token family", () => {
  it("gives at most 8 reads in total to a max_uses 8 root: children of n−1 uses, recursively", () =>
    expectAtMostEightReads(halvingTree));

  it("gives at most 8 reads in total to a max_uses 8 root: children of one use each", () =>
    expectAtMostEightReads(singleUseChildren));

  it("gives at most 8 reads in total to a max_uses 8 root: default children, all the way down", () =>
    expectAtMostEightReads(defaultChildren));

  it("takes a child's uses out of the parent's: what is left is exactly what was not given away", async () => {
    const vault = await vaultWithSecret();
    const root = (await mint(vault, vault.agentKey, 8)) as string;
    const child = await mint(vault, root, 3); // the mint costs 1, the child 3: 4 left
    expect(child).not.toBeNull();
    expect(await mint(vault, root, 4)).toBeNull(); // would need 5
    expect(await readAll(vault, child as string)).toBe(3);
    expect(await readAll(vault, root)).toBe(4);
  });

  it("is exact when mints race on one parent, and when mints and reads race", async () => {
    const vault = await vaultWithSecret();
    const root = (await mint(vault, vault.agentKey, 10)) as string;
    // Each mint costs 3 (its own use and a child of 2): three fit in 10, a fourth cannot.
    const children = await Promise.all(Array.from({ length: 20 }, () => mint(vault, root, 2)));
    const minted = children.filter((child): child is string => child !== null);
    expect(minted).toHaveLength(3);
    expect(await readAll(vault, root)).toBe(1);
    for (const child of minted) expect(await readAll(vault, child)).toBe(2);

    const mixed = (await mint(vault, vault.agentKey, 10)) as string;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0 ? mint(vault, mixed, 2) : read(vault, mixed),
      ),
    );
    const mixedChildren = outcomes.filter((outcome) => typeof outcome === "string");
    const parentReads = outcomes.filter((outcome) => outcome === true).length;
    const drained = await readAll(vault, mixed);
    expect(mixedChildren.length * 3 + parentReads + drained).toBe(10);
  });
});
