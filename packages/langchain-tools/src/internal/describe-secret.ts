import type { SecretMetadata } from "@agentsecretstore/client";

const iso = (date: Date | null | undefined): string | null => date?.toISOString() ?? null;

/** A secret's metadata as the model sees it: everything useful, never the value. */
export function describeSecret(
  metadata: SecretMetadata,
  withVersions = false,
): Record<string, unknown> {
  return {
    path: metadata.path,
    version: metadata.version,
    tier: metadata.tier,
    type: metadata.secretType,
    description: metadata.description,
    tags: metadata.tags,
    updatedAt: iso(metadata.updatedAt),
    expiresAt: iso(metadata.expiresAt),
    ...(withVersions &&
      metadata.versions !== undefined && {
        versions: metadata.versions.map((version) => ({
          version: version.version,
          createdAt: iso(version.createdAt),
          retiredAt: iso(version.retiredAt),
        })),
      }),
  };
}

export { iso };
