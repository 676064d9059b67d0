import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { highestTier, isTier, TIERS, tierAllows, tierRank } from "./tier.js";

const tierArbitrary = fc.constantFrom(...TIERS);

describe("tiers", () => {
  it("orders standard < sensitive < critical", () => {
    expect(TIERS.map(tierRank)).toEqual([0, 1, 2]);
  });

  it("recognises exactly the three tiers", () => {
    expect(TIERS.every(isTier)).toBe(true);
    for (const other of ["", "Standard", "secret", "critical ", null, 1]) {
      expect(isTier(other)).toBe(false);
    }
  });

  it("lets an approval for sensitive read standard and sensitive, not critical", () => {
    expect(tierAllows("sensitive", "standard")).toBe(true);
    expect(tierAllows("sensitive", "sensitive")).toBe(true);
    expect(tierAllows("sensitive", "critical")).toBe(false);
  });

  test.prop([fc.array(tierArbitrary)])(
    "highestTier is allowed by none lower than itself",
    (tiers) => {
      const highest = highestTier(tiers);
      expect(tiers.every((tier) => tierAllows(highest, tier))).toBe(true);
      if (tiers.length === 0) expect(highest).toBe("standard");
      else expect(tiers).toContain(highest);
    },
  );

  test.prop([tierArbitrary, tierArbitrary])("tierAllows is the rank order", (approved, secret) => {
    expect(tierAllows(approved, secret)).toBe(tierRank(approved) >= tierRank(secret));
  });
});
