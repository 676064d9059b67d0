import type { AuditEventContent } from "../audit/hash-chain.js";
import type { DataAccess, Stores } from "./stores.js";

/**
 * A principal whose record came from a cache: the commit confirms it still exists, and, for an
 * agent or admin key given with `keyHash`, that the key was not rotated away meanwhile.
 */
export type PrincipalCheck = {
  readonly kind: "token" | "agent" | "admin";
  readonly tenantId: string;
  readonly id: string;
  readonly keyHash?: string;
};

/** One token use to count: `limited` for a token with `max_uses` (checked against it, exactly). */
export type TokenUse = {
  readonly tenantId: string;
  readonly tokenId: string;
  readonly limited: boolean;
};

/** What one request leaves in the group commit. Every part is optional. */
export type CommitEntry = {
  /** The audit event to append; dropped when the entry is refused. */
  readonly event?: AuditEventContent;
  /** Marks a secret accessed at `at`. */
  readonly touch?: { readonly tenantId: string; readonly secretId: string; readonly at: string };
  readonly use?: TokenUse;
  readonly checks?: readonly PrincipalCheck[];
};

/**
 * Why an entry was not committed: its token had no use left (`used_up`), or its principal — the
 * token, or whoever issued it — was revoked, expired or deleted meanwhile (`gone`).
 */
export type CommitRefusal = "used_up" | "gone";

/** `committed`, or why not ({@link CommitRefusal}). */
export type CommitOutcome = "committed" | CommitRefusal;

type Pending = {
  entry: CommitEntry;
  resolve: (outcome: CommitOutcome) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit for what reads and refusals write: audit events, token uses, access times, and the
 * confirmation that a cached principal still exists. Entries queued while a commit runs go into the
 * next one, so concurrent requests share one durable commit (one fsync) instead of paying one each.
 * Every caller waits for the commit that holds its entry, so a value is answered only once its
 * audit event and its token use are on disk.
 *
 * A token with `max_uses` is counted with one conditional update per use (exact under races, on
 * one instance or many); a token without one gets one update per commit for all its uses; agents
 * and admins cost nothing but the existence check of a cached record, one query per kind.
 */
export class CommitGroup {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(
    private readonly data: DataAccess,
    private readonly now: () => Date,
    private readonly maxBatch = 500,
  ) {}

  /** Queues the entry; resolves with its outcome once the commit holding it is durable. */
  append(entry: CommitEntry): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        const refused = await this.data.transaction((stores) => this.#commit(stores, batch));
        for (const item of batch) item.resolve(refused.get(item) ?? "committed");
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.#flushing = false;
  }

  /** One transaction: confirm principals, count uses, touch secrets, append events. */
  async #commit(stores: Stores, batch: readonly Pending[]): Promise<Map<Pending, CommitRefusal>> {
    const nowIso = this.now().toISOString();
    const refused = new Map<Pending, CommitRefusal>();
    await refuseStalePrincipals(stores, batch, nowIso, refused);
    const unlimited = new Map<string, { tenantId: string; tokenId: string; count: number }>();
    for (const item of batch) {
      const use = item.entry.use;
      if (use === undefined || refused.has(item)) continue;
      if (use.limited) {
        const uses = await stores.tokens.consumeUse(use.tenantId, use.tokenId, nowIso);
        if (uses === undefined) refused.set(item, "used_up");
        continue;
      }
      const key = `${use.tenantId}\u0000${use.tokenId}`;
      const counted = unlimited.get(key) ?? {
        tenantId: use.tenantId,
        tokenId: use.tokenId,
        count: 0,
      };
      counted.count += 1;
      unlimited.set(key, counted);
    }
    for (const { tenantId, tokenId, count } of unlimited.values()) {
      if (!(await stores.tokens.addUses(tenantId, tokenId, count, nowIso))) {
        for (const item of batch) {
          if (item.entry.use?.tokenId === tokenId) refused.set(item, "gone");
        }
      }
    }
    const kept = batch.filter((item) => !refused.has(item));
    // Row locks first, in one order, and the chain head last: a batch never holds the head while
    // it waits for a secret's row that another instance's write holds (a deadlock).
    for (const touch of latestTouches(kept)) {
      await stores.secrets.touchAccessed(touch.tenantId, touch.secretId, touch.at);
    }
    const events = kept.flatMap((item) =>
      item.entry.event === undefined ? [] : [item.entry.event],
    );
    if (events.length > 0) await stores.audit.appendMany(events);
    return refused;
  }
}

/** Refuses entries whose cached principal is gone: the database breaks the tie with any cache. */
async function refuseStalePrincipals(
  stores: Stores,
  batch: readonly Pending[],
  nowIso: string,
  refused: Map<Pending, CommitRefusal>,
): Promise<void> {
  const wanted = new Map<string, { check: PrincipalCheck; ids: Set<string> }>();
  for (const { entry } of batch) {
    for (const check of entry.checks ?? []) {
      const key = `${check.kind}\u0000${check.tenantId}`;
      const group = wanted.get(key) ?? { check, ids: new Set<string>() };
      group.ids.add(check.id);
      wanted.set(key, group);
    }
  }
  for (const { check, ids } of wanted.values()) {
    const live =
      check.kind === "token"
        ? new Map(
            [...(await stores.tokens.liveIds(check.tenantId, [...ids], nowIso))].map((id) => [
              id,
              undefined,
            ]),
          )
        : await stores.principals.liveKeyHashes(
            check.kind === "agent" ? "agents" : "admins",
            check.tenantId,
            [...ids],
          );
    for (const item of batch) {
      const stale = (item.entry.checks ?? []).some(
        (each) =>
          each.kind === check.kind &&
          each.tenantId === check.tenantId &&
          (!live.has(each.id) ||
            (each.keyHash !== undefined && live.get(each.id) !== each.keyHash)),
      );
      if (stale) refused.set(item, "gone");
    }
  }
}

/** One touch per secret (the latest time), ordered by tenant and secret id. */
function latestTouches(batch: readonly Pending[]): NonNullable<CommitEntry["touch"]>[] {
  const latest = new Map<string, NonNullable<CommitEntry["touch"]>>();
  for (const { entry } of batch) {
    const touch = entry.touch;
    if (touch === undefined) continue;
    const key = `${touch.tenantId}\u0000${touch.secretId}`;
    const seen = latest.get(key);
    if (seen === undefined || seen.at < touch.at) latest.set(key, touch);
  }
  return [...latest.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([, touch]) => touch);
}
