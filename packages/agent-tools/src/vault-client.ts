import type { AgentVault, ApprovalWaiting } from "@agentsecretstore/client";

/**
 * The part of `AgentVault` (from `@agentsecretstore/client`) the tools call. Typed
 * structurally so that a subagent's client, a wrapped client or a test double works too
 * (one that is not an `AgentVault` waits for approvals with a `waitForApproval` method of its
 * own); `broker` is needed only by `call_api_with_secret` destinations that name a broker route.
 */
export type VaultClient = Partial<Pick<AgentVault, "broker">> &
  Pick<
    AgentVault,
    | "getSecret"
    | "setSecret"
    | "listSecrets"
    | "getMetadata"
    | "requestToken"
    | "rotateSecret"
    | "revokeToken"
  > &
  (AgentVault | ApprovalWaiting);
