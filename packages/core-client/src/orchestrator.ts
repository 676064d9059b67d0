import type { AgentVault } from "./agent-vault.js";
import {
  AgentVaultApprovalTimeoutError,
  AgentVaultAuthError,
  AgentVaultConflictError,
  AgentVaultError,
  AgentVaultNotFoundError,
  AgentVaultPermissionError,
  AgentVaultValidationError,
} from "./errors.js";
import { INSPECT_CUSTOM, REDACTED } from "./internal/redact.js";
import type { ApprovalRequest } from "./models/approval-request.js";
import { ApprovalStatus } from "./models/approval-status.js";
import { ScopedToken } from "./models/scoped-token.js";
import { type ApprovalWaiting, waitForApproval } from "./wait-for-approval.js";

/** What {@link TokenIssuer.requestToken} is asked for (a subset of `AgentVault`'s options). */
export type TokenRequest = {
  scope?: string;
  scopes?: readonly string[];
  ttlSeconds?: number;
  maxUses?: number;
  allowedIps?: readonly string[];
  description?: string;
  signal?: AbortSignal;
};

/**
 * The part of `AgentVault` an {@link Orchestrator} uses: it mints and revokes with the vault
 * client's own credential (an agent key, or a scoped token for child tokens), and waits for
 * approvals with `waitForApproval` (see {@link OrchestratorVault}).
 */
export type TokenIssuer = {
  /** The vault's API base URL, handed to subagents as `ASS_BASE_URL`. */
  readonly baseUrl: string;
  requestToken(options: TokenRequest): Promise<ScopedToken>;
  revokeToken(tokenOrId: string, options?: { signal?: AbortSignal }): Promise<void>;
};

/**
 * What an {@link Orchestrator} is built on: an `AgentVault`, or another {@link TokenIssuer}
 * (a wrapper, a test double) that waits for approvals with a `waitForApproval` method of its own.
 */
export type OrchestratorVault = TokenIssuer & (AgentVault | ApprovalWaiting);

/** Options of {@link Orchestrator.mint}. One of `scope` and `scopes` is required. */
export type MintOptions = {
  /** One scope, e.g. `secrets:read:production/openai/*`. */
  scope?: string;
  /** Several scopes (the newer API's form). */
  scopes?: readonly string[];
  /**
   * Lifetime of the token, in seconds (the server caps it at 86 400).
   * @default 3600 (the server's default)
   */
  ttlSeconds?: number;
  /**
   * How many requests the token may make.
   * @default unlimited
   */
  maxUses?: number;
  /** IPs or CIDRs the subagent will call from. @default anywhere */
  allowedIps?: readonly string[];
  /**
   * Free text for the audit log.
   * @default `subagent <name>`
   */
  description?: string;
  /**
   * When the token needs a person's approval, wait for it before returning (`true`, or
   * `{ timeout }` in milliseconds). Without it a pending token is returned at once.
   * @default false
   */
  waitForApproval?: boolean | { timeout?: number };
  /** Aborts the request and the wait. */
  signal?: AbortSignal;
};

/** Options of the {@link Orchestrator} constructor. */
export type OrchestratorOptions = {
  /** Options merged under every `mint()` call's own (which win). @default {} */
  defaults?: Omit<MintOptions, "signal">;
  /**
   * The `ASS_BASE_URL` handed to subagents, when they reach the vault by another address
   * than the orchestrator (a container network, say).
   * @default the vault client's `baseUrl`
   */
  baseUrl?: string;
};

/** Environment variables that make `new AgentVault()` in a subagent use its token. */
export type SubagentEnv = {
  /** The raw scoped token. */
  readonly ASS_TOKEN: string;
  /** The vault's API base URL. */
  readonly ASS_BASE_URL: string;
};

/**
 * A token minted for one subagent. `value` and `env.ASS_TOKEN` are the raw credential; the
 * object itself prints `[REDACTED]` in `String()`, `JSON.stringify()` and `util.inspect()`.
 */
export class MintedToken {
  /** The subagent's name, as given to `mint()`. */
  readonly name: string;
  /** The token model (its own printing is redacted too). */
  readonly token: ScopedToken;
  /** Id of the token, for `revokeToken` and the audit log. Not a credential. */
  readonly tokenId: string;
  /** `approved`, or `pending` when minted without `waitForApproval`. */
  readonly approvalStatus: ApprovalStatus;
  /** The approval request a pending token waits for, otherwise `null`. */
  readonly approvalRequestId: string | null;
  /**
   * `{ ASS_TOKEN, ASS_BASE_URL }`, ready for `child_process.spawn(cmd, args, { env: { ...process.env, ...minted.env } })`.
   * Its own enumerable fields hold the raw token (that is its purpose); printing or
   * serialising the object itself shows `[REDACTED]`, but copies made by spreading do not.
   */
  readonly env: SubagentEnv;

  constructor(name: string, token: ScopedToken, baseUrl: string) {
    this.name = name;
    this.token = token;
    this.tokenId = token.tokenId;
    this.approvalStatus = token.approvalStatus;
    this.approvalRequestId = token.approvalRequestId;
    this.env = redactedEnv(token.value, baseUrl);
  }

  /** The token itself (`ast_tok_…`), for handing to a subagent. */
  get value(): string {
    return this.token.value;
  }

  /** `MintedToken(<name>, <tokenId>, value [REDACTED])`. */
  toString(): string {
    return `MintedToken(${this.name}, ${this.tokenId}, value ${REDACTED})`;
  }

  /** Everything but the token value, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      value: REDACTED,
      tokenId: this.tokenId,
      approvalStatus: this.approvalStatus,
      approvalRequestId: this.approvalRequestId,
      env: this.env,
      token: this.token,
    };
  }

  [INSPECT_CUSTOM](
    _depth: number,
    options: unknown,
    inspect?: (value: unknown, options?: unknown) => string,
  ): string {
    if (inspect === undefined) return this.toString();
    return `MintedToken ${inspect(this.toJSON(), options)}`;
  }
}

function redactedEnv(token: string, baseUrl: string): SubagentEnv {
  const printable = { ASS_TOKEN: REDACTED, ASS_BASE_URL: baseUrl };
  const env = { ASS_TOKEN: token, ASS_BASE_URL: baseUrl };
  // Non-enumerable, so that child_process and object spread see exactly the two variables.
  Object.defineProperties(env, {
    toJSON: { value: () => printable },
    toString: { value: () => `{ ASS_TOKEN: ${REDACTED}, ASS_BASE_URL: ${baseUrl} }` },
    [INSPECT_CUSTOM]: {
      value: (
        _depth: number,
        options: unknown,
        inspect?: (value: unknown, o?: unknown) => string,
      ) => (inspect === undefined ? JSON.stringify(printable) : inspect(printable, options)),
    },
  });
  return Object.freeze(env);
}

/**
 * Mints one scoped token per subagent, keeps track of them and revokes them all when the
 * run ends.
 *
 * @example
 * await using orchestrator = new Orchestrator(vault);
 * const researcher = await orchestrator.mint("researcher", {
 *   scope: "secrets:read:production/openai/*", ttlSeconds: 900, maxUses: 5, waitForApproval: true,
 * });
 * spawn("node", ["researcher.js"], { env: { ...process.env, ...researcher.env } });
 * // leaving the block revokes every token minted here
 */
export class Orchestrator {
  readonly #vault: OrchestratorVault;
  readonly #defaults: Omit<MintOptions, "signal">;
  readonly #baseUrl: string | undefined;
  // Names are reserved before the request goes out, so two concurrent mint("a") cannot both win.
  readonly #reserved = new Set<string>();
  readonly #tokens = new Map<string, MintedToken>();
  // Mints still in flight; revokeAll waits for them so that none slips past the end of a run.
  readonly #minting = new Set<Promise<unknown>>();

  constructor(vault: OrchestratorVault, options: OrchestratorOptions = {}) {
    this.#vault = vault;
    this.#defaults = options.defaults ?? {};
    this.#baseUrl = options.baseUrl;
  }

  /**
   * Mint a token for the subagent `name`. A name is taken until its token is revoked
   * through this orchestrator; minting it again before that is an `AgentVaultConflictError`.
   *
   * A token that needs approval comes back `pending`, unless `waitForApproval` is set: then
   * this waits until a person approves and returns the approved token. When the request is
   * denied, cancelled or expires, the token is revoked and an `AgentVaultPermissionError`
   * (code `APPROVAL_DENIED`, `APPROVAL_CANCELLED` or `APPROVAL_EXPIRED`) is thrown; a timeout
   * of the wait also revokes the token and rethrows `AgentVaultApprovalTimeoutError`.
   */
  async mint(name: string, options: MintOptions = {}): Promise<MintedToken> {
    const merged: MintOptions = { ...this.#defaults, ...options };
    if (name.length === 0) {
      throw new AgentVaultValidationError("mint() needs a non-empty subagent name.", {
        code: "VALIDATION_ERROR",
        issues: [{ field: "name", message: "must not be empty" }],
      });
    }
    if (merged.scope === undefined && (merged.scopes === undefined || merged.scopes.length === 0)) {
      throw new AgentVaultValidationError(
        `mint("${name}") needs a scope, e.g. { scope: "secrets:read:production/openai/*" }.`,
        { code: "VALIDATION_ERROR", issues: [{ field: "scope", message: "is required" }] },
      );
    }
    if (this.#reserved.has(name)) {
      throw new AgentVaultConflictError(
        `A token named "${name}" was already minted by this orchestrator; revoke("${name}") it first or pick another name.`,
        { code: "NAME_TAKEN" },
      );
    }
    this.#reserved.add(name);
    const minting = this.#mintReserved(name, merged);
    this.#minting.add(minting);
    try {
      const minted = await minting;
      this.#tokens.set(name, minted);
      return minted;
    } catch (error) {
      this.#reserved.delete(name);
      throw error;
    } finally {
      this.#minting.delete(minting);
    }
  }

  /** Every token minted here and not yet revoked, in minting order. */
  minted(): readonly MintedToken[] {
    return Object.freeze([...this.#tokens.values()]);
  }

  /** The live token minted for `name`, or `undefined`. */
  get(name: string): MintedToken | undefined {
    return this.#tokens.get(name);
  }

  /**
   * Revoke the token minted for `name` and free the name. A token the server no longer
   * knows (already revoked or expired: 401/404) counts as revoked.
   * Throws `AgentVaultNotFoundError` (code `UNKNOWN_SUBAGENT`) when nothing live has that name.
   */
  async revoke(name: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const minted = this.#tokens.get(name);
    if (minted === undefined) {
      throw new AgentVaultNotFoundError(
        `No live token named "${name}" in this orchestrator (live: ${[...this.#tokens.keys()].join(", ") || "none"}).`,
        { code: "UNKNOWN_SUBAGENT" },
      );
    }
    await this.#revokeToken(minted.tokenId, options.signal);
    if (this.#tokens.get(name) === minted) {
      this.#tokens.delete(name);
      this.#reserved.delete(name);
    }
  }

  /**
   * Revoke every live token minted here, after letting mints in flight finish. All are
   * tried; those the server no longer knows
   * count as revoked. If any revocation fails, the failed tokens stay tracked and an
   * `AggregateError` of their errors is thrown after all were tried.
   */
  async revokeAll(options: { signal?: AbortSignal } = {}): Promise<void> {
    await Promise.allSettled([...this.#minting]);
    const names = [...this.#tokens.keys()];
    const results = await Promise.allSettled(names.map((name) => this.revoke(name, options)));
    const errors = results.flatMap((result) =>
      result.status === "rejected" ? [result.reason] : [],
    );
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `Could not revoke ${errors.length} of ${names.length} subagent tokens; they stay tracked, call revokeAll() again.`,
      );
    }
  }

  /** `await using orchestrator = new Orchestrator(vault)` revokes everything at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.revokeAll();
  }

  async #mintReserved(name: string, options: MintOptions): Promise<MintedToken> {
    const request: TokenRequest = { description: options.description ?? `subagent ${name}` };
    if (options.scope !== undefined) request.scope = options.scope;
    if (options.scopes !== undefined) request.scopes = options.scopes;
    if (options.ttlSeconds !== undefined) request.ttlSeconds = options.ttlSeconds;
    if (options.maxUses !== undefined) request.maxUses = options.maxUses;
    if (options.allowedIps !== undefined) request.allowedIps = options.allowedIps;
    if (options.signal !== undefined) request.signal = options.signal;

    let token = await this.#vault.requestToken(request);
    const baseUrl = this.#baseUrl ?? this.#vault.baseUrl;
    if (token.approvalStatus === ApprovalStatus.DENIED) {
      await this.#revokeQuietly(token.tokenId);
      throw approvalRefused(name, token.approvalRequestId, ApprovalStatus.DENIED);
    }
    const wait = options.waitForApproval;
    if (token.approvalStatus !== ApprovalStatus.PENDING || wait === undefined || wait === false) {
      return new MintedToken(name, token, baseUrl);
    }
    if (token.approvalRequestId === null) {
      await this.#revokeQuietly(token.tokenId);
      throw new AgentVaultError(
        `The vault answered the token for "${name}" as pending but gave no approval request id to wait for.`,
        { code: "INVALID_RESPONSE" },
      );
    }
    token = await this.#waitUntilApproved(name, token, wait, options.signal);
    return new MintedToken(name, token, baseUrl);
  }

  async #waitUntilApproved(
    name: string,
    token: ScopedToken,
    wait: true | { timeout?: number },
    signal: AbortSignal | undefined,
  ): Promise<ScopedToken> {
    const approvalRequestId = token.approvalRequestId!;
    const waitOptions: { timeout?: number; signal?: AbortSignal } = {};
    if (wait !== true && wait.timeout !== undefined) waitOptions.timeout = wait.timeout;
    if (signal !== undefined) waitOptions.signal = signal;
    let approval: ApprovalRequest;
    try {
      approval = await waitForApproval(this.#vault, approvalRequestId, waitOptions);
    } catch (error) {
      // A pending token left behind would come alive if someone approved it later.
      await this.#revokeQuietly(token.tokenId);
      throw error;
    }
    if (approval.status !== ApprovalStatus.APPROVED) {
      await this.#revokeQuietly(token.tokenId);
      if (approval.status === ApprovalStatus.PENDING) {
        throw new AgentVaultApprovalTimeoutError(
          `The token for "${name}" was still waiting for approval ${approvalRequestId}; it has been revoked.`,
          { code: "APPROVAL_TIMEOUT", approvalRequestId },
        );
      }
      throw approvalRefused(name, approvalRequestId, approval.status);
    }
    // Own fields are everything but the private value.
    return new ScopedToken({
      ...token,
      value: token.value,
      approvalStatus: ApprovalStatus.APPROVED,
    });
  }

  async #revokeToken(tokenId: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.#vault.revokeToken(tokenId, signal === undefined ? {} : { signal });
    } catch (error) {
      if (error instanceof AgentVaultAuthError || error instanceof AgentVaultNotFoundError) return;
      throw error;
    }
  }

  async #revokeQuietly(tokenId: string): Promise<void> {
    try {
      await this.#revokeToken(tokenId, undefined);
    } catch {
      // The caller is already failing with a more useful error; the token is short-lived.
    }
  }
}

function approvalRefused(
  name: string,
  approvalRequestId: string | null,
  status: ApprovalStatus,
): AgentVaultPermissionError {
  return new AgentVaultPermissionError(
    `The token for "${name}" was not approved (approval request ${approvalRequestId ?? "unknown"} is ${status}); it has been revoked.`,
    { code: `APPROVAL_${status.toUpperCase()}` },
  );
}
