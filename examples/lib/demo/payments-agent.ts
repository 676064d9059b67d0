import { createHmac } from "node:crypto";
import { AgentVault } from "@agentsecretstore/client";
import type { Orchestrator } from "@agentsecretstore/client/orchestrator";

/** Options of {@link runPayments}. */
export type PaymentsOptions = {
  orchestrator: Orchestrator;
  print: (text: string) => void;
};

/**
 * A subagent whose secret is critical: its token waits for two approvals and the delay,
 * then it reads the signing key once and signs a payout. Returns the token's value, so the
 * demo can show it refused after the run.
 */
export async function runPayments(options: PaymentsOptions): Promise<string> {
  const { orchestrator, print } = options;
  print("asks for secrets:read:production/payments/* (critical: waits for 2 approvals + delay)");
  const startedWaiting = Date.now();
  const minted = await orchestrator.mint("payments", {
    scope: "secrets:read:production/payments/*",
    ttlSeconds: 300,
    maxUses: 1,
    waitForApproval: { timeout: 30_000 },
  });
  const waited = ((Date.now() - startedWaiting) / 1000).toFixed(1);
  print(`token ${minted.tokenId} approved after ${waited} s (1 use)`);
  await using vault = new AgentVault({
    token: minted.value,
    baseUrl: minted.env.ASS_BASE_URL,
    env: {},
  });
  const signingKey = await vault.getSecret("production/payments/signing-key");
  const payout = JSON.stringify({ payout: "po_1042", amount: "120.00", currency: "EUR" });
  const signature = createHmac("sha256", signingKey.value).update(payout).digest("hex");
  print(`read production/payments/signing-key v${signingKey.version} (value not shown)`);
  print(`signed payout po_1042: hmac-sha256 ${signature.slice(0, 16)}…`);
  return minted.value;
}
