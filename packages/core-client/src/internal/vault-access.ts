import { AgentVaultConfigurationError } from "../errors.js";
import type { SecretCacheStore } from "../secret-cache-store.js";
import type { HttpMethod } from "./build-request.js";
import type { PipelineRequest } from "./request-pipeline.js";

/**
 * What the client's own functions (`waitForApproval`, `importSecrets` from `…/import`) reach inside an
 * `AgentVault`: its one call path and its cache. Kept in a WeakMap, never on the instance,
 * so that it is not public API.
 */
export interface VaultAccess {
  /** One call with the per-call `token` and `signal` of `options`; resolves with the decoded body. */
  call(
    method: HttpMethod,
    path: string,
    options: { readonly token?: string | undefined; readonly signal?: AbortSignal | undefined },
    request?: Partial<PipelineRequest>,
  ): Promise<unknown>;
  readonly cache: SecretCacheStore | undefined;
  /** The per-attempt time limit, in ms (the `timeout` option). */
  readonly timeout: number;
}

const accesses = new WeakMap<object, VaultAccess>();

/** Called once by each `AgentVault`'s constructor. */
export function grantAccess(vault: object, access: VaultAccess): void {
  accesses.set(vault, access);
}

/** The access of `vault`; throws when `vault` is not an `AgentVault`. */
export function accessOf(vault: object): VaultAccess {
  const access = accesses.get(vault);
  if (access === undefined) {
    throw new AgentVaultConfigurationError(
      "Pass an AgentVault from @agentsecretstore/client (a SyncAgentVault has its own method).",
      { code: "INVALID_OPTION" },
    );
  }
  return access;
}
