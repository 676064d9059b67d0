import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@agentsecretstore/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnAss } from "./spawn-ass.js";

// A vault serving HTTPS with a certificate from a CA made here (openssl), which no system trusts.

let folder: string;
let vault: RunningServer;
let caFile: string;
let agentKey: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-cli-ca-"));
  const at = (name: string) => join(folder, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    at("ca.key"),
    "-out",
    at("ca.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=ass test CA",
  );
  openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    at("server.key"),
    "-out",
    at("server.csr"),
    "-subj",
    "/CN=127.0.0.1",
  );
  await writeFile(at("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
  openssl(
    "x509",
    "-req",
    "-in",
    at("server.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca.key"),
    "-CAcreateserial",
    "-out",
    at("server.pem"),
    "-days",
    "2",
    "-extfile",
    at("ext.cnf"),
  );
  caFile = at("ca.pem");
  vault = await startServer({
    port: 0,
    dataDir: at("data"),
    env: {},
    logger: false,
    tls: { cert: await readFile(at("server.pem")), key: await readFile(at("server.key")) },
  });
  agentKey = vault.firstStart?.agentKey ?? "";
}, 60_000);

afterAll(async () => {
  await vault?.close();
  await rm(folder, { recursive: true, force: true });
});

describe("ASS_CA_CERT", () => {
  it("lets ass reach a vault whose certificate a private CA signed; without it the TLS check refuses", async () => {
    const env = { ASS_BASE_URL: vault.baseUrl, ASS_AGENT_KEY: agentKey };
    expect(vault.baseUrl).toMatch(/^https:/);
    const refused = spawnAss(["whoami"], env);
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(refused.stderr()).toContain("set ASS_CA_CERT");

    const trusted = spawnAss(["whoami"], { ...env, ASS_CA_CERT: caFile });
    expect(await trusted.exited).toBe(0);
    expect(trusted.stdout()).toMatch(/agent/i);
    expect(trusted.stdout() + trusted.stderr()).not.toContain(agentKey);
  }, 60_000);

  it("says what is wrong with a file that holds no certificate", async () => {
    const notPem = join(folder, "not-a-cert.txt");
    await writeFile(notPem, "hello\n");
    const run = spawnAss(["whoami"], { ASS_BASE_URL: vault.baseUrl, ASS_CA_CERT: notPem });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(
      `ass: ASS_CA_CERT: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n`,
    );
  }, 60_000);

  it("lets the ass-mcp binary call the vault's tools over that TLS, which fail without it", async () => {
    const env = { ASS_BASE_URL: vault.baseUrl, ASS_AGENT_KEY: agentKey };
    const trusted = await listSecretsThroughMcp({ ...env, ASS_CA_CERT: caFile });
    expect(trusted.result?.isError, JSON.stringify(trusted)).not.toBe(true);
    expect(trusted.result?.structuredContent).toBeDefined();
    const untrusted = await listSecretsThroughMcp(env);
    expect(JSON.stringify(untrusted)).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/,
    );
  }, 60_000);
});

/** Runs `ass-mcp` (from source) on stdio and calls list_secrets once; its tool result. */
async function listSecretsThroughMcp(env: Record<string, string>) {
  const mcpDir = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), "mcp-server");
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/bin.ts"], {
    cwd: mcpDir,
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const send = (message: object) =>
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  send({
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    },
  });
  send({ method: "notifications/initialized" });
  send({
    id: 2,
    method: "tools/call",
    params: { name: "list_secrets", arguments: { namespace: "production" } },
  });
  await expect.poll(() => stdout.split("\n").filter(Boolean).length, { timeout: 30_000 }).toBe(2);
  child.stdin.end();
  expect(await exited).toBe(0);
  const answer = stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .find((message) => message.id === 2);
  return answer as {
    result?: { isError?: boolean; structuredContent?: unknown };
    error?: { message: string };
  };
}
