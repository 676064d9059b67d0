import type { Secret } from "@agentsecretstore/client";
import { AgentVault } from "@agentsecretstore/client";
import type { ScopeAction } from "@agentsecretstore/protocol";
import { maskDeep } from "../mask-deep.js";
import type { SecretRegistry } from "../secret-registry.js";
import type { VaultClient } from "../vault-client.js";
import type { VaultToolCallContext } from "../vault-tool-context.js";
import type { PendingApprovalOutcome, VaultToolOutcome } from "../vault-tool-outcome.js";
import type {
  AllowedDestination,
  FetchFunction,
  VaultToolName,
  VaultToolsOptions,
} from "../vault-tools-options.js";
import { AccessGrants } from "./access-grants.js";
import { CallApprovals } from "./call-approvals.js";
import type { CallTarget } from "./call-target.js";
import { ReadAhead } from "./read-ahead.js";
import { type OutcomeSubject, outcomeOfVaultError, pendingOutcome } from "./vault-error-outcome.js";

/** The settings every tool reads, with their defaults applied. */
export interface ResolvedOptions {
  readonly revealValues: boolean;
  readonly allowedDestinations: readonly AllowedDestination[];
  readonly include: ReadonlySet<VaultToolName>;
  readonly accessTokenTtlSeconds: number;
  readonly accessTokenMaxUses: number | null;
  readonly approvalCheckTimeout: number;
  readonly maxApprovalWait: number;
  readonly requestTimeout: number;
  readonly maxResponseCharacters: number;
  readonly fetch: FetchFunction;
  readonly listLimit: number;
}

export const ALL_TOOLS: readonly VaultToolName[] = [
  "list_secrets",
  "get_secret_metadata",
  "request_secret_access",
  "check_approval_status",
  "set_secret",
  "rotate_secret",
  "call_api_with_secret",
  "get_secret",
];

/**
 * What the tools of one toolset share: the bound client, the registry, the tokens obtained
 * during each run, and the settings.
 */
export class VaultToolState {
  readonly registry: SecretRegistry;
  readonly grants = new AccessGrants();
  readonly readAhead = new ReadAhead();
  /** Per-call approvals the vault's broker asked for, by the call they stand for. */
  readonly callApprovals = new CallApprovals();
  readonly options: ResolvedOptions;
  readonly #bound: VaultClient | undefined;
  #fromEnvironment: VaultClient | undefined;

  constructor(
    vault: VaultClient | undefined,
    registry: SecretRegistry,
    options: VaultToolsOptions,
  ) {
    this.#bound = vault;
    this.registry = registry;
    const allowedDestinations = options.allowedDestinations ?? [];
    const include =
      options.include ??
      ALL_TOOLS.filter((name) => name !== "call_api_with_secret" || allowedDestinations.length > 0);
    this.options = {
      revealValues: options.revealValues === true,
      allowedDestinations,
      include: new Set(include),
      accessTokenTtlSeconds: positive(
        options.accessTokenTtlSeconds ?? 900,
        "accessTokenTtlSeconds",
      ),
      accessTokenMaxUses:
        options.accessTokenMaxUses === undefined || options.accessTokenMaxUses === null
          ? null
          : positive(options.accessTokenMaxUses, "accessTokenMaxUses"),
      approvalCheckTimeout: positive(options.approvalCheckTimeout ?? 1_000, "approvalCheckTimeout"),
      maxApprovalWait: notNegative(options.maxApprovalWait ?? 0, "maxApprovalWait"),
      requestTimeout: positive(options.requestTimeout ?? 30_000, "requestTimeout"),
      maxResponseCharacters: positive(
        options.maxResponseCharacters ?? 4_000,
        "maxResponseCharacters",
      ),
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      listLimit: positive(options.listLimit ?? 50, "listLimit"),
    };
  }

  /**
   * The client and credential for a call: the run's context (`vault`, else `vaultToken` on the
   * bound client), else the bound client. With `use`, a token from `request_secret_access`
   * that covers the action wins, since it carries the approval.
   */
  target(context: VaultToolCallContext, use?: { action: ScopeAction; path: string }): CallTarget {
    const vault = context.vault ?? this.#defaultVault();
    const grant =
      use === undefined
        ? undefined
        : this.grants.findCovering(this.bucket(context), use.action, use.path);
    const token = grant?.token ?? (context.vault === undefined ? context.vaultToken : undefined);
    return { vault, options: { token, signal: context.signal } };
  }

  /** The run a call belongs to: its `runId`, or one shared bucket without one. */
  bucket(context: VaultToolCallContext): string {
    return context.runId === undefined ? "default" : `run:${context.runId}`;
  }

  /** The tool's answer, with every hidden vault value masked. */
  respond(outcome: VaultToolOutcome): VaultToolOutcome {
    return maskDeep(outcome, (text) => this.registry.mask(text, { forModel: true }));
  }

  /**
   * A failed vault call as the model should see it; throws what the model cannot act on
   * (authentication, configuration, network and server failures).
   */
  fail(error: unknown, subject: OutcomeSubject): VaultToolOutcome {
    const outcome = outcomeOfVaultError(error, subject);
    if (outcome === undefined) throw error;
    return this.respond(outcome);
  }

  /** Access waits on a person. */
  pending(approvalRequestId: string | null, subject: OutcomeSubject): VaultToolOutcome {
    return this.respond(pendingOutcome(approvalRequestId, subject));
  }

  /**
   * Reads a secret for a tool call: the value an approval check read just before, or a fresh
   * read. Vault errors reject, as `getSecret` does.
   */
  readSecret(context: VaultToolCallContext, path: string, version?: number): Promise<Secret> {
    const target = this.target(context, { action: "read", path });
    return this.readAhead.read(this.#readKey(context, path, version), target, path, version);
  }

  /**
   * Whether reading the secret would wait on a person: the pending outcome, or `undefined`
   * (the value, when it could be read, is kept for the call that follows).
   */
  async checkRead(
    context: VaultToolCallContext,
    path: string,
    version?: number,
  ): Promise<PendingApprovalOutcome | undefined> {
    const target = this.target(context, { action: "read", path });
    try {
      await this.readAhead.fetch(this.#readKey(context, path, version), target, path, version);
      return undefined;
    } catch (error) {
      const outcome = outcomeOfVaultError(error, { path });
      // Other failures are the call's to report when it runs.
      if (outcome?.status !== "pending_approval") return undefined;
      return this.respond(outcome) as PendingApprovalOutcome;
    }
  }

  #readKey(context: VaultToolCallContext, path: string, version: number | undefined): string {
    return `${this.bucket(context)}|${context.vaultToken ?? ""}|${path}|${version ?? ""}`;
  }

  #defaultVault(): VaultClient {
    if (this.#bound !== undefined) return this.#bound;
    // Like the client itself: ASS_AGENT_KEY / ASS_TOKEN and ASS_BASE_URL from the environment.
    this.#fromEnvironment ??= new AgentVault();
    return this.#fromEnvironment;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

function notNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be 0 or more, got ${value}`);
  }
  return value;
}
