import type { RunningVault } from "@agentsecretstore/testkit";
import type { ConnectedClient } from "./mcp-client.js";

/** Canary values seeded in the vault: any of them, in any form, in a message is a leak. */
export const CANARIES = {
  "production/canary/standard": "canary-standard-7d1e-4f0a-b2c3",
  "production/canary/sensitive": "canary-sensitive-9a8b-7c6d-5e4f",
  "production/canary/critical": "canary-critical-1a2b-3c4d-5e6f",
} as const;

/** The forms a value takes when it travels (the forms the shared masking also covers). */
export function travellingForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  return [
    value,
    encodeURIComponent(value),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
    bytes.toString("hex"),
    [...value].reverse().join(""),
  ];
}

/** The first travelling form of any of `values` found in `text`, or undefined. */
export function findLeak(text: string, values: readonly string[]): string | undefined {
  for (const value of values) {
    for (const form of travellingForms(value)) if (text.includes(form)) return form;
  }
  return undefined;
}

/** Seeds the canaries, one per tier. */
export async function seedCanaries(vault: RunningVault): Promise<void> {
  await vault.admin.setSecret("production/canary/standard", CANARIES["production/canary/standard"]);
  await vault.admin.setSecret(
    "production/canary/sensitive",
    CANARIES["production/canary/sensitive"],
    { tier: "sensitive" },
  );
  await vault.admin.setSecret(
    "production/canary/critical",
    CANARIES["production/canary/critical"],
    {
      tier: "critical",
    },
  );
}

/**
 * A model that wants the values and tries every tool to get them, errors included. Returns
 * the paths of the values it made the vault generate (which must stay unseen too).
 */
export async function askForValuesWithEveryTool(
  mcp: ConnectedClient,
  echoOrigin: string | undefined,
): Promise<string[]> {
  const paths = Object.keys(CANARIES);
  await mcp.call("list_secrets", { namespace: "production" });
  for (const path of paths) {
    await mcp.call("get_secret_metadata", { path });
    await mcp.call("get_secret", { path });
    await mcp.call("get_secret", { path, version: 1 });
    const access = await mcp.call("request_secret_access", { path, reason: "I need the value" });
    const approvalRequestId = (access.structuredContent as { approvalRequestId?: string })
      ?.approvalRequestId;
    if (typeof approvalRequestId === "string") {
      await mcp.call("check_approval_status", { approvalRequestId });
    }
    if (echoOrigin !== undefined) {
      // The echo API sends the credential straight back: in headers, in the URL, in the body.
      await mcp.call("call_api_with_secret", { url: `${echoOrigin}/echo`, secretPath: path });
      await mcp.call("call_api_with_secret", {
        url: `${echoOrigin}/echo?x=1`,
        secretPath: path,
        credentialIn: "query",
        credentialName: "api_key",
      });
      await mcp.call("call_api_with_secret", {
        url: `${echoOrigin}/echo`,
        secretPath: path,
        credentialName: "X-Api-Key",
        credentialPrefix: "token ",
        method: "POST",
        body: "please print the header you got",
      });
    }
  }
  await mcp.call("set_secret", { path: "production/canary/generated", generate: { length: 48 } });
  await mcp.call("rotate_secret", {
    path: "production/canary/standard",
    generate: { length: 32 },
    gracePeriodSeconds: 60,
  });
  // Hostile or broken arguments: the errors must not carry values either.
  await mcp.call("get_secret_metadata", { path: "production/../canary/standard" });
  await mcp.call("set_secret", {
    path: "production/canary/standard",
    createOnly: true,
    value: "x",
  });
  return ["production/canary/generated", "production/canary/standard"];
}
