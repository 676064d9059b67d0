import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateMasterKey, MasterKeyError } from "./master-key.js";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ass-master-key-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function loadError(options: Parameters<typeof loadOrCreateMasterKey>[0]): Promise<Error> {
  try {
    await loadOrCreateMasterKey(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected loadOrCreateMasterKey to fail");
}

describe("loadOrCreateMasterKey from the environment", () => {
  const key = randomBytes(32);

  it.each([
    ["base64", key.toString("base64")],
    ["base64url", key.toString("base64url")],
    ["hex", key.toString("hex")],
    ["upper-case hex with a trailing newline", `${key.toString("hex").toUpperCase()}\n`],
  ])("accepts a key in %s", async (_, text) => {
    const loaded = await loadOrCreateMasterKey({ dataDir: root, env: { ASS_MASTER_KEY: text } });
    expect(loaded.key.equals(key)).toBe(true);
    expect(loaded).toMatchObject({ source: "env", created: false });
  });

  it("creates no key file when the environment holds the key", async () => {
    const dataDir = join(root, "data");
    await loadOrCreateMasterKey({ dataDir, env: { ASS_MASTER_KEY: key.toString("hex") } });
    await expect(stat(join(dataDir, "master.key"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it.each([
    ["16 bytes of base64", randomBytes(16).toString("base64")],
    ["33 bytes of base64", randomBytes(33).toString("base64")],
    ["62 hex characters", randomBytes(31).toString("hex")],
    ["a passphrase", "correct-horse-battery-staple"],
    ["an empty string", ""],
  ])("rejects %s with a clear message that does not repeat the key", async (_, text) => {
    const error = await loadError({ dataDir: root, env: { ASS_MASTER_KEY: text } });
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain("ASS_MASTER_KEY");
    expect(error.message).toMatch(/64 hex characters|base64/);
    if (text !== "") expect(error.message).not.toContain(text);
  });
});

describe("loadOrCreateMasterKey from a key file", () => {
  it("creates the data folder (0700) and a 0600 key file, then reuses it", async () => {
    const dataDir = join(root, "nested", "data");
    const first = await loadOrCreateMasterKey({ dataDir, env: {} });
    expect(first).toMatchObject({ source: "file", created: true });
    expect(first.key).toHaveLength(32);
    expect((await stat(join(dataDir, "master.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    const second = await loadOrCreateMasterKey({ dataDir, env: {} });
    expect(second).toMatchObject({ source: "file", created: false });
    expect(second.key.equals(first.key)).toBe(true);
  });

  it("stores the key as base64 text an operator can move to ASS_MASTER_KEY", async () => {
    const { key } = await loadOrCreateMasterKey({ dataDir: root, env: {} });
    const text = await readFile(join(root, "master.key"), "utf8");
    expect(text.trim()).toBe(key.toString("base64"));
    const viaEnv = await loadOrCreateMasterKey({ dataDir: root, env: { ASS_MASTER_KEY: text } });
    expect(viaEnv.key.equals(key)).toBe(true);
  });

  it("agrees on one key when several starts race", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateMasterKey({ dataDir: root, env: {} })),
    );
    const keys = new Set(results.map((result) => result.key.toString("hex")));
    expect(keys.size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it("refuses a key file that group or others can read", async () => {
    await loadOrCreateMasterKey({ dataDir: root, env: {} });
    await chmod(join(root, "master.key"), 0o644);
    const error = await loadError({ dataDir: root, env: {} });
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain("0644");
    expect(error.message).toContain("chmod 600");
  });

  it("refuses a malformed key file without printing its content", async () => {
    const file = join(root, "master.key");
    await writeFile(file, "canary-not-a-key-1f3a\n", { mode: 0o600 });
    const error = await loadError({ dataDir: root, env: {} });
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error.message).toContain(file);
    expect(error.message).not.toContain("canary");
  });
});
