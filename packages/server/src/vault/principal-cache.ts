import type { Principal } from "./principal.js";

/** Most credentials kept; past this the oldest entry goes (a map keeps insertion order). */
const DEFAULT_CAPACITY = 10_000;

/**
 * Principals by credential hash, with their parsed scopes, so that a hot read looks nothing up to
 * know who asks. Only settled principals are kept (agent and admin keys, approved tokens); a
 * record read from here is confirmed by the database in the commit that answers the request
 * (`CommitGroup`'s principal checks), so a revocation or deletion made by another instance is
 * honoured even before this cache hears of it. Changes made here evict at once.
 */
export class PrincipalCache {
  readonly #byHash = new Map<string, Principal>();
  readonly #hashesById = new Map<string, Set<string>>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(credentialHash: string): Principal | undefined {
    return this.#byHash.get(credentialHash);
  }

  /** Keeps a principal that cannot change by itself (a pending token can: it is not kept). */
  set(principal: Principal): void {
    if (principal.kind === "token" && principal.token.approvalStatus !== "approved") return;
    if (this.#byHash.size >= this.capacity) {
      const oldest = this.#byHash.keys().next().value;
      if (oldest !== undefined) this.#forget(oldest);
    }
    this.#byHash.set(principal.credentialHash, principal);
    for (const id of idsOf(principal)) {
      const hashes = this.#hashesById.get(id) ?? new Set<string>();
      hashes.add(principal.credentialHash);
      this.#hashesById.set(id, hashes);
    }
  }

  /** Forgets every credential of these tokens, agents or admins, and tokens they issued. */
  evict(ids: Iterable<string>): void {
    for (const id of ids) {
      for (const hash of this.#hashesById.get(id) ?? []) this.#forget(hash);
      this.#hashesById.delete(id);
    }
  }

  get size(): number {
    return this.#byHash.size;
  }

  #forget(credentialHash: string): void {
    const principal = this.#byHash.get(credentialHash);
    if (principal === undefined) return;
    this.#byHash.delete(credentialHash);
    for (const id of idsOf(principal)) {
      const hashes = this.#hashesById.get(id);
      hashes?.delete(credentialHash);
      if (hashes?.size === 0) this.#hashesById.delete(id);
    }
  }
}

/** A token is forgotten with itself, its issuer and its parent (a revocation cascades down). */
function idsOf(principal: Principal): string[] {
  if (principal.kind !== "token") return [principal.id];
  const { token } = principal;
  return [
    principal.id,
    token.issuerId,
    ...(token.parentTokenId === null ? [] : [token.parentTokenId]),
  ];
}
