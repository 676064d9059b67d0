import { type ScopeAction, scopeCovers } from "@agentsecretstore/protocol";
import type { VaultClient } from "../vault-client.js";

/** A scoped token the agent obtained with `request_secret_access`, kept out of the conversation. */
export interface AccessGrant {
  /** What the model is told; not a credential. */
  readonly handle: string;
  readonly scopes: readonly string[];
  /** The token itself: a credential, used only as the `token` option of vault calls. */
  readonly token: string;
  readonly tokenId: string;
  status: "approved" | "pending" | "denied";
  readonly approvalRequestId: string | null;
  readonly expiresAt: Date | null;
  /** Who minted it (and so may revoke it): the client and credential of that call. */
  readonly issuer: { readonly vault: VaultClient; readonly token: string | undefined };
}

/**
 * The scoped tokens obtained during each run, kept in memory by the tools (never in a
 * framework's run state, which a checkpointer or a serialised run state would store). Runs are
 * told apart by the `runId` of each call; calls without one share a bucket.
 */
export class AccessGrants {
  readonly #buckets = new Map<string, AccessGrant[]>();
  #issued = 0;

  add(bucket: string, grant: Omit<AccessGrant, "handle">): AccessGrant {
    this.#issued += 1;
    const stored: AccessGrant = { ...grant, handle: `access-${this.#issued}` };
    const grants = this.#buckets.get(bucket) ?? [];
    grants.push(stored);
    this.#buckets.set(bucket, grants);
    return stored;
  }

  /** A live grant asked for with exactly these scopes (so a re-run tool asks only once). */
  findByScopes(bucket: string, scopes: readonly string[]): AccessGrant | undefined {
    const wanted = [...scopes].sort().join(" ");
    return this.#live(bucket).find(
      (grant) => grant.status !== "denied" && [...grant.scopes].sort().join(" ") === wanted,
    );
  }

  /** The grant to use for `action` on `path`: an approved one first, else a pending one. */
  findCovering(bucket: string, action: ScopeAction, path: string): AccessGrant | undefined {
    const covering = this.#live(bucket).filter((grant) =>
      grant.scopes.some((scope) => scopeCovers(scope, action, path)),
    );
    return (
      covering.find((grant) => grant.status === "approved") ??
      covering.find((grant) => grant.status === "pending")
    );
  }

  findByApprovalRequest(bucket: string, approvalRequestId: string): AccessGrant | undefined {
    return this.#live(bucket).find((grant) => grant.approvalRequestId === approvalRequestId);
  }

  /** Every grant of every run (to revoke them). */
  all(): AccessGrant[] {
    return [...this.#buckets.values()].flat();
  }

  clear(): void {
    this.#buckets.clear();
  }

  #live(bucket: string): AccessGrant[] {
    const now = Date.now();
    return (this.#buckets.get(bucket) ?? []).filter(
      (grant) => grant.expiresAt === null || grant.expiresAt.getTime() > now,
    );
  }
}
