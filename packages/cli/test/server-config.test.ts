import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, parseDotenv } from "./capture-io.js";
import { spawnAss } from "./spawn-ass.js";

// `ass server` as a real process, configured by a file, the environment and flags.

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-config-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function writeConfig(text: string): Promise<string> {
  const path = join(folder, "vault.toml");
  await writeFile(path, text);
  return path;
}

describe("ass server --print-config", () => {
  it("shows flags over environment over file, each with its source, secrets masked, and exits", async () => {
    const file = await writeConfig(
      [
        "[server]",
        "port = 9001",
        'host = "127.0.0.2"',
        'data_dir = "/srv/file-dir"',
        "[limits]",
        "per_credential_points = 1200",
        "[metrics]",
        'token = "canary-file-metrics-token-81f0"',
        "",
      ].join("\n"),
    );
    const printed = spawnAss(["server", "--config", file, "--print-config", "--port", "9003"], {
      ASS_PORT: "9002",
      ASS_HOST: "127.0.0.3",
      ASS_MASTER_KEY: "canary-master-key-77c2",
      DATABASE_URL: "postgres://vault:canary-db-password-4b1a@db.internal/vault",
    });
    expect(await printed.exited).toBe(0);
    const text = printed.stdout();
    expect(text).toMatch(/^port = 9003 +# flag --port$/m);
    expect(text).toMatch(/^host = "127\.0\.0\.3" +# environment ASS_HOST$/m);
    expect(text).toMatch(new RegExp(`^data_dir = "/srv/file-dir" +# config file ${file}$`, "m"));
    expect(text).toMatch(/^per_credential_points = 1200 +# config file/m);
    expect(text).toMatch(/^level = "info" +# default$/m);
    expect(text).toContain('database_url = "postgres://vault:********@db.internal/vault"');
    for (const canary of ["canary-file-metrics", "canary-master-key", "canary-db-password"]) {
      expect(text + printed.stderr()).not.toContain(canary);
    }
  }, 60_000);
});

describe("configuration mistakes", () => {
  it("an unknown key exits 2 naming the file, section and key, with no stack trace", async () => {
    const file = await writeConfig("[limits]\nper_credential_point = 5\n");
    const run = spawnAss(["server", "--config", file]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(
      `ass: config file ${file}: [limits] per_credential_point: unknown option (did you mean per_credential_points?)\n`,
    );
  }, 60_000);

  it("a bad value in the file, a variable or a flag exits 2 naming where it came from", async () => {
    const file = await writeConfig("[limits]\nper_credential_points = 0\n");
    const fromFile = spawnAss(["server", "--config", file]);
    expect(await fromFile.exited).toBe(2);
    expect(fromFile.stderr()).toBe(
      `ass: config file ${file}: [limits] per_credential_points: expected a positive integer\n`,
    );
    const fromEnv = spawnAss(["server"], { ASS_PORT: "eighty" });
    expect(await fromEnv.exited).toBe(2);
    expect(fromEnv.stderr()).toBe(
      "ass: environment ASS_PORT ([server] port): expected a whole number from 0 to 65535\n",
    );
    const fromFlag = spawnAss(["server", "--log-level", "loud"]);
    expect(await fromFlag.exited).toBe(2);
    expect(fromFlag.stderr()).toMatch(/^ass: flag --log-level \(\[log\] level\): expected one of/);
    // Nothing started, so nothing was created in the working folder's default data dir either.
    for (const run of [fromFile, fromEnv, fromFlag]) expect(run.stdout()).toBe("");
  }, 60_000);
});

describe("a server configured by file and environment", () => {
  it("listens where the file says, takes the variable over it, and logs JSON when stderr is no terminal", async () => {
    const filePort = await freePort();
    const envDataDir = join(folder, "env-data");
    const file = await writeConfig(
      `[server]\nport = ${filePort}\ndata_dir = "${join(folder, "file-data")}"\n[log]\nlevel = "info"\n`,
    );
    const server = spawnAss(["server", "--config", file], { ASS_DATA_DIR: envDataDir });
    try {
      const keys = await eventually(() => {
        const lines = parseDotenv(server.stdout());
        return lines.ASS_AGENT_KEY ? lines : undefined;
      }, 30_000);
      expect(keys.ASS_BASE_URL).toBe(`http://127.0.0.1:${filePort}/v1`);
      expect(server.stderr()).toContain(`(data in ${envDataDir})`);
      const health = await fetch(`${keys.ASS_BASE_URL}/health`);
      expect(health.status).toBe(200);
      const logLine = await eventually(() =>
        server
          .stderr()
          .split("\n")
          .find((line) => line.startsWith("{") && line.includes('"request completed"')),
      );
      expect(JSON.parse(logLine)).toMatchObject({ level: 30, msg: "request completed" });
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  }, 60_000);

  it("writes readable log lines with --log-format pretty", async () => {
    const server = spawnAss([
      "server",
      "--port",
      "0",
      "--data-dir",
      join(folder, "data"),
      "--log-format",
      "pretty",
    ]);
    try {
      const keys = await eventually(() => {
        const lines = parseDotenv(server.stdout());
        return lines.ASS_BASE_URL ? lines : undefined;
      }, 30_000);
      await fetch(`${keys.ASS_BASE_URL}/health`);
      const line = await eventually(() =>
        server
          .stderr()
          .split("\n")
          .find((text) => text.includes("request completed")),
      );
      expect(line).toMatch(/^\d\d:\d\d:\d\d INFO {2}request completed .*statusCode=200/);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }, 60_000);
});
