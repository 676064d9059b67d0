import type { AgentVault } from "@agentsecretstore/client";

/**
 * The part of `AgentVault` (from `@agentsecretstore/client`) the tools call. Typed
 * structurally so that a subagent's client, a wrapped client or a test double works too.
 */
export type VaultClient = Pick<
  AgentVault,
  | "getSecret"
  | "setSecret"
  | "listSecrets"
  | "getMetadata"
  | "requestToken"
  | "rotateSecret"
  | "waitForApproval"
  | "revokeToken"
>;
