import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureIo } from "../../test/capture-io.js";
import { run } from "../run.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-server-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("ass server --database-url", () => {
  it("needs the shared ASS_MASTER_KEY on PostgreSQL and never prints the URL's password", async () => {
    const url = "postgres://vault:canary-password-5c1d@127.0.0.1:1/vault";
    const withoutKey = captureIo({});
    const args = ["server", "--port", "0", "--data-dir", join(folder, "d"), "--database-url", url];
    expect(await run([...args, "--log-level", "silent"], withoutKey.io)).toBe(1);
    expect(withoutKey.stderr()).toMatch(/ASS_MASTER_KEY/);

    // With a key it goes on to PostgreSQL; nothing listens on port 1, so it fails to start.
    const withKey = captureIo({ ASS_MASTER_KEY: randomBytes(32).toString("base64") });
    expect(await run([...args, "--log-level", "silent"], withKey.io)).toBe(1);
    expect(withKey.stderr()).toMatch(/ECONNREFUSED|connect/);
    for (const capture of [withoutKey, withKey]) {
      expect(capture.stderr() + capture.stdout()).not.toContain("canary-password");
    }
  });
});
