import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../src/run.js";
import { captureIo, eventually, parseDotenv } from "./capture-io.js";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ass-cli-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function startOnce(extraArgs: string[] = []) {
  const capture = captureIo({});
  const exit = run(
    ["server", "--port", "0", "--data-dir", dataDir, "--log-level", "silent", ...extraArgs],
    capture.io,
  );
  const lines = await eventually(() => {
    const env = parseDotenv(capture.stdout());
    return env.ASS_BASE_URL ? env : undefined;
  });
  return { ...capture, exit, lines };
}

describe("ass server", () => {
  it("prints the base URL and both keys as dotenv lines on the first start only", async () => {
    const first = await startOnce();
    expect(first.lines.ASS_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(first.lines.ASS_ADMIN_KEY).toMatch(/^ass_admin_/);
    expect(first.lines.ASS_AGENT_KEY).toMatch(/^ass_live_/);

    const health = await fetch(`${first.lines.ASS_BASE_URL}/health`);
    expect(health.status).toBe(200);

    first.stop();
    expect(await first.exit).toBe(0);
    const keyFile = await stat(join(dataDir, "master.key"));
    expect(keyFile.mode & 0o777).toBe(0o600);

    const second = await startOnce();
    expect(Object.keys(second.lines)).toEqual(["ASS_BASE_URL"]);
    second.stop();
    expect(await second.exit).toBe(0);
  });

  it("lets the printed agent key store and read a secret", async () => {
    const server = await startOnce();
    const headers = {
      authorization: `Bearer ${server.lines.ASS_AGENT_KEY}`,
      "content-type": "application/json",
    };
    const put = await fetch(`${server.lines.ASS_BASE_URL}/secrets/demo/greeting`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ value: "hello-from-the-cli-test" }),
    });
    expect(put.status).toBe(201);
    const get = await fetch(`${server.lines.ASS_BASE_URL}/secrets/demo/greeting`, { headers });
    expect(((await get.json()) as { value: string }).value).toBe("hello-from-the-cli-test");
    server.stop();
    expect(await server.exit).toBe(0);
  });

  it("refuses a non-loopback address without TLS unless --insecure-http is given", async () => {
    const capture = captureIo({});
    const code = await run(
      [
        "server",
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--data-dir",
        dataDir,
        "--log-level",
        "silent",
      ],
      capture.io,
    );
    expect(code).toBe(1);
    expect(capture.stderr()).toMatch(/--insecure-http|TLS/i);
  });

  it("rejects a malformed port with a usage error", async () => {
    const capture = captureIo({});
    const code = await run(["server", "--port", "eighty"], capture.io);
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("flag --port ([server] port): expected a whole number");
  });

  it("rejects --tls-cert without --tls-key", async () => {
    const capture = captureIo({});
    const code = await run(["server", "--tls-cert", "cert.pem", "--data-dir", dataDir], capture.io);
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("[tls] cert and key go together");
  });
});
