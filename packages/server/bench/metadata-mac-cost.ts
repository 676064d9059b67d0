// What the metadata MAC check adds to a read (issue 17, item 13): a read loads one secret row and
// one version row and checks both MACs. Run: pnpm exec tsx bench/metadata-mac-cost.ts
import { randomBytes } from "node:crypto";
import { macMatches, secretMetadataMac, versionMetadataMac } from "../src/crypto/metadata-mac.js";

const key = randomBytes(32);
const secret = {
  tenantId: `ten_${"a".repeat(32)}`,
  id: `sec_${"b".repeat(32)}`,
  path: "production/openai/api-key",
  tier: "sensitive" as const,
  currentVersion: 7,
  expiresAt: "2027-01-01T00:00:00.000Z",
};
const version = {
  tenantId: secret.tenantId,
  secretId: secret.id,
  version: 7,
  tier: "sensitive" as const,
  retiredAt: null,
  sealedFormat: 2,
};
const storedSecret = secretMetadataMac(key, secret);
const storedVersion = versionMetadataMac(key, version);
const rounds = 200_000;
for (let warm = 0; warm < 20_000; warm++) macMatches(storedSecret, secretMetadataMac(key, secret));
const started = process.hrtime.bigint();
for (let round = 0; round < rounds; round++) {
  if (!macMatches(storedSecret, secretMetadataMac(key, secret))) throw new Error("mismatch");
  if (!macMatches(storedVersion, versionMetadataMac(key, version))) throw new Error("mismatch");
}
const microseconds = Number(process.hrtime.bigint() - started) / 1000 / rounds;
console.log(
  `metadata MAC check per read (secret row + version row): ${microseconds.toFixed(2)} µs`,
);
