import type { SecretMetadata } from "@agentsecretstore/client";
import { z } from "zod";

const iso = (date: Date | null | undefined): string | null => date?.toISOString() ?? null;

/** The fields of {@link describeSecret}, for output schemas. */
export const secretMetadataShape = {
  path: z.string().optional().describe("The secret's path."),
  version: z.number().int().optional().describe("The current version."),
  tier: z
    .string()
    .optional()
    .describe("standard (nobody approves), sensitive (one person), critical (two people)."),
  type: z.string().optional().describe("api_key, oauth_token, db_credential, …"),
  description: z.string().nullable().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  updatedAt: z.string().nullable().optional().describe("ISO 8601."),
  expiresAt: z.string().nullable().optional().describe("ISO 8601, or null for never."),
  versions: z
    .array(
      z.object({
        version: z.number().int(),
        createdAt: z.string().nullable(),
        retiredAt: z.string().nullable(),
      }),
    )
    .optional()
    .describe("Every version, with when it was created and retired."),
};

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
