import { AgentVault } from "@agentsecretstore/client";
import type { SecretRegistry } from "../secret-registry.js";
import type { VaultClient } from "../vault-client.js";
import type { VaultToolContext } from "../vault-tool-context.js";
import type {
  AllowedDestination,
  FetchFunction,
  VaultToolName,
  VaultToolsOptions,
} from "../vault-tools-options.js";
import { AccessGrants } from "./access-grants.js";
import type { ScopeAction } from "./scope.js";
import {
  type Outcome,
  type OutcomeSubject,
  outcomeOfVaultError,
  pendingOutcome,
} from "./vault-outcome.js";

/** The second argument LangChain passes to a tool: its runtime (inside an agent) or config. */
export type ToolCallRuntime = {
  context?: unknown;
  configurable?: Record<string, unknown>;
  config?: { configurable?: Record<string, unknown> };
  signal?: AbortSignal;
};

/** Which client and credential one vault call goes out with. */
export interface CallTarget {
  readonly vault: VaultClient;
  readonly options: { token?: string | undefined; signal?: AbortSignal | undefined };
}

/** The settings every tool reads, with their defaults applied. */
export interface ResolvedOptions {
  readonly revealValues: boolean;
  readonly allowedDestinations: readonly AllowedDestination[];
  readonly onApprovalPending: "report" | "interrupt";
  readonly include: ReadonlySet<VaultToolName>;
  readonly accessTokenTtlSeconds: number;
  readonly accessTokenMaxUses: number | null;
  readonly approvalCheckTimeout: number;
  readonly requestTimeout: number;
  readonly maxResponseCharacters: number;
  readonly fetch: FetchFunction;
  readonly listLimit: number;
}

const ALL_TOOLS: readonly VaultToolName[] = [
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
 * What the tools of one `createVaultTools` call share: the bound client, the registry, the
 * tokens obtained during each run, and the settings.
 */
export class VaultToolState {
  readonly registry: SecretRegistry;
  readonly grants = new AccessGrants();
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
      onApprovalPending: options.onApprovalPending ?? "report",
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
  target(
    runtime: ToolCallRuntime | undefined,
    use?: { action: ScopeAction; path: string },
  ): CallTarget {
    const context = contextOf(runtime);
    const vault = context.vault ?? this.#defaultVault();
    const grant =
      use === undefined
        ? undefined
        : this.grants.findCovering(this.bucket(runtime), use.action, use.path);
    const token = grant?.token ?? (context.vault === undefined ? context.vaultToken : undefined);
    return { vault, options: { token, signal: runtime?.signal } };
  }

  /** The run a call belongs to: its LangGraph thread, or one shared bucket without one. */
  bucket(runtime: ToolCallRuntime | undefined): string {
    const threadId =
      runtime?.configurable?.thread_id ?? runtime?.config?.configurable?.thread_id ?? undefined;
    return typeof threadId === "string" || typeof threadId === "number"
      ? `thread:${threadId}`
      : "default";
  }

  /** The tool's answer: JSON, with every hidden vault value masked. */
  respond(outcome: Outcome | Record<string, unknown>): string {
    return this.registry.mask(JSON.stringify(outcome), { forModel: true });
  }

  /**
   * A failed vault call as the model should see it; throws what the model cannot act on
   * (authentication, configuration, network and server failures).
   */
  async fail(error: unknown, subject: OutcomeSubject & { tool: VaultToolName }): Promise<string> {
    const outcome = outcomeOfVaultError(error, subject);
    if (outcome === undefined) throw error;
    if (outcome.status === "pending_approval") {
      return this.pending(outcome.approvalRequestId as string | null, subject);
    }
    return this.respond(outcome);
  }

  /**
   * Access waits on a person: report it, or pause the run (`onApprovalPending: "interrupt"`).
   * On resume the tool runs again from the start; reaching this point again means the vault
   * still says pending, and `interrupt()` now returns the resume value instead of pausing.
   */
  async pending(
    approvalRequestId: string | null,
    subject: OutcomeSubject & { tool: VaultToolName },
  ): Promise<string> {
    const outcome = pendingOutcome(approvalRequestId, subject);
    if (this.options.onApprovalPending === "interrupt" && approvalRequestId !== null) {
      const { interrupt } = await import("@langchain/langgraph");
      interrupt({
        type: "vault_approval_pending",
        tool: subject.tool,
        approvalRequestId,
        ...(subject.path !== undefined && { path: subject.path }),
        ...(subject.scope !== undefined && { scope: subject.scope }),
        message: `A person must approve request ${approvalRequestId} in the vault, then resume the run.`,
      });
    }
    return this.respond(outcome);
  }

  #defaultVault(): VaultClient {
    if (this.#bound !== undefined) return this.#bound;
    // Like the client itself: ASS_AGENT_KEY / ASS_TOKEN and ASS_BASE_URL from the environment.
    this.#fromEnvironment ??= new AgentVault();
    return this.#fromEnvironment;
  }
}

function contextOf(runtime: ToolCallRuntime | undefined): VaultToolContext {
  const context = runtime?.context;
  if (typeof context !== "object" || context === null) return {};
  const { vault, vaultToken } = context as Record<string, unknown>;
  return {
    vault:
      typeof vault === "object" && vault !== null && "getSecret" in vault
        ? (vault as VaultClient)
        : undefined,
    vaultToken: typeof vaultToken === "string" && vaultToken !== "" ? vaultToken : undefined,
  };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}
