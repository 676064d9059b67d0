import { INSPECT_CUSTOM, REDACTED } from "../internal/redact.js";
import type { ApprovalStatus } from "./approval-status.js";

/** Fields of a {@link ScopedToken}. */
export interface ScopedTokenInit {
  readonly value: string;
  readonly tokenId: string;
  readonly scope: string;
  readonly scopes: readonly string[];
  readonly ttlSeconds: number;
  readonly expiresAt: Date | null;
  readonly description: string | null;
  readonly allowedIps: readonly string[] | null;
  readonly maxUses: number | null;
  readonly usesRemaining: number | null;
  readonly approvalStatus: ApprovalStatus;
  readonly approvalRequestId: string | null;
  readonly requiresApproval: boolean;
}

type InspectFunction = (value: unknown, options?: unknown) => string;

/**
 * A short-lived scoped token (`ast_tok_…`) minted by `requestToken`. Hand `.value` to a
 * subagent (as `ASS_TOKEN`); `String()`, `JSON.stringify()` and `util.inspect()` print
 * `[REDACTED]` instead of it.
 *
 * When `approvalStatus` is `"pending"`, reads made with it throw
 * `AgentVaultApprovalPendingError` until a person approves `approvalRequestId`.
 */
export class ScopedToken {
  /** Id of the token, for `revokeToken` and the audit log. Not a credential. */
  declare readonly tokenId: string;
  /** The first scope (the seed API's single-scope form). */
  declare readonly scope: string;
  /** Every scope the token carries, e.g. `secrets:read:production/openai/*`. */
  declare readonly scopes: readonly string[];
  /** Lifetime the token was minted with, in seconds. */
  declare readonly ttlSeconds: number;
  declare readonly expiresAt: Date | null;
  declare readonly description: string | null;
  /** IPs or CIDRs the token may be used from; `null` = anywhere. */
  declare readonly allowedIps: readonly string[] | null;
  /** Uses it was minted with; `null` = unlimited. */
  declare readonly maxUses: number | null;
  /** Uses left when it was minted; `null` = unlimited. */
  declare readonly usesRemaining: number | null;
  /** `approved`, `pending` (wait for a person) or `denied`. */
  declare readonly approvalStatus: ApprovalStatus;
  /** The approval request to wait for when pending, otherwise `null`. */
  declare readonly approvalRequestId: string | null;
  /** Whether the token's scopes needed a person's approval. */
  declare readonly requiresApproval: boolean;
  readonly #value: string;

  constructor(init: ScopedTokenInit) {
    const { value, ...fields } = init;
    // Own enumerable fields, set once; the value stays in a private field.
    Object.assign(this, fields, {
      scopes: Object.freeze([...fields.scopes]),
      allowedIps: fields.allowedIps === null ? null : Object.freeze([...fields.allowedIps]),
    });
    this.#value = value;
  }

  /**
   * The token itself (`ast_tok_…`): a credential. The only way to read it. `""` on a token
   * from `inspectToken`, because the vault sends a token's value only when minting it.
   */
  get value(): string {
    return this.#value;
  }

  /** `ScopedToken(<tokenId>, <scope>, value [REDACTED])`; never the value. */
  toString(): string {
    return `ScopedToken(${this.tokenId}, ${this.scopes.join(" ")}, value ${REDACTED})`;
  }

  /** Everything but the value, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return { value: REDACTED, ...(this as object) };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    if (inspect === undefined) return this.toString();
    return `ScopedToken ${inspect(this.toJSON(), options)}`;
  }
}
