import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "@agentsecretstore/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { eventually } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;
const arrivals: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    arrivals.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    response.writeHead(204).end();
  });
});
let receiverUrl = "";

beforeAll(async () => {
  vault = await startCliVault();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await vault.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe("ass webhook", () => {
  it("sets the tenant's webhook with a secret from standard input, shows it without the secret, and deletes it", async () => {
    const secret = `cli-${"w".repeat(20)}`;
    const set = await vault.ass(["webhook", "set", receiverUrl], { stdin: `${secret}\n` });
    expect(set.code, set.stderr).toBe(ExitCode.OK);
    expect(set.stdout).toContain(receiverUrl);
    expect(set.stdout).not.toContain(secret);

    // An approval request of the tenant arrives there, signed with that secret.
    const headers = {
      authorization: `Bearer ${vault.keys.agentKey}`,
      "content-type": "application/json",
    };
    await fetch(`${vault.server.baseUrl}/secrets/prod/key`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ value: `v-${"x".repeat(12)}`, tier: "sensitive" }),
    });
    const read = await fetch(`${vault.server.baseUrl}/secrets/prod/key`, { headers });
    expect(read.status).toBe(202);
    const delivery = await eventually(() => arrivals[0]);
    expect(delivery.headers["x-ass-event"]).toBe("approval.requested");
    expect(
      verifyWebhookSignature(secret, delivery.headers[WEBHOOK_SIGNATURE_HEADER], delivery.body),
    ).toBe(true);

    const shown = await vault.ass(["webhook", "show", "--json"]);
    expect(shown.code).toBe(ExitCode.OK);
    expect(shown.stdout).not.toContain(secret);
    expect(JSON.parse(shown.stdout)).toMatchObject({ url: receiverUrl, secret_set: true });

    const deleted = await vault.ass(["webhook", "delete", "--yes"]);
    expect(deleted.code).toBe(ExitCode.OK);
    const after = await vault.ass(["webhook", "show"]);
    expect(after.stdout).toMatch(/url:\s+\(none\)/);
  });

  it("says what to fix for a metadata address, and needs the admin key", async () => {
    const refused = await vault.ass(["webhook", "set", "http://169.254.169.254/hook"], {
      stdin: "x".repeat(20),
    });
    expect(refused.code).not.toBe(ExitCode.OK);
    expect(refused.stderr).toMatch(/link-local or cloud metadata/);

    const asAgent = await vault.ass(["webhook", "show"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey },
    });
    expect(asAgent.code).not.toBe(ExitCode.OK);
  });
});
