import type { AgentVault } from "@agentsecretstore/client";

/**
 * The part of `AgentVault` (from `@agentsecretstore/client`) the tools call. Typed
 * structurally so that a subagent's client, a wrapped client or a test double works too;
 * `broker` is needed only by `call_api_with_secret` destinations that name a broker route.
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
    | "waitForApproval"
    | "revokeToken"
  >;
