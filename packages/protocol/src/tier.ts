/**
 * Access tiers, lowest first: who must approve before a credential may read a secret's value.
 * `standard` is automatic, `sensitive` needs one approval, `critical` two approvals by different
 * people and then a delay (docs/protocol.md, "Approvals").
 */
export const TIERS = ["standard", "sensitive", "critical"] as const;

/** One of {@link TIERS}. */
export type Tier = (typeof TIERS)[number];

/** Whether `value` is one of {@link TIERS}. */
export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/** The tier's order: standard 0 < sensitive 1 < critical 2. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** Whether a credential approved up to `approvedTier` may read a secret of `secretTier`. */
export function tierAllows(approvedTier: Tier, secretTier: Tier): boolean {
  return tierRank(approvedTier) >= tierRank(secretTier);
}

/**
 * The highest of some tiers (what a request covering several secrets must be approved at);
 * `standard` for none.
 *
 * @example
 * highestTier(["standard", "critical", "sensitive"]); // "critical"
 */
export function highestTier(tiers: Iterable<Tier>): Tier {
  let highest: Tier = "standard";
  for (const tier of tiers) if (tierRank(tier) > tierRank(highest)) highest = tier;
  return highest;
}
