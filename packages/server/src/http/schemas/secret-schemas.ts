import { MAX_DESTINATIONS, SECRET_TYPES, TIERS } from "@agentsecretstore/protocol";
import { z } from "zod";
import type { SecretMetadataBody } from "../../vault/secret-fields.js";
import { sealedText } from "./request-text.js";
import type { SameShape } from "./same-shape.js";

/** Longest grace period a rotation may keep the old version readable: 30 days, in seconds. */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 86_400;

const tier = z.enum(TIERS).nullish();
const secretType = z.enum(SECRET_TYPES).nullish();
const tags = z
  .record(z.string().min(1).max(128), z.string().max(1024))
  .refine((record) => Object.keys(record).length <= 50, "at most 50 tags")
  .nullish();

const destination = z.strictObject({
  origin: z.string().max(2048).describe("scheme://host[:port], http or https"),
  path_prefixes: z
    .array(z.string().min(1).max(1024))
    .max(MAX_DESTINATIONS)
    .optional()
    .describe("Paths at that origin, each starting with / (default every path)"),
});

/** The metadata fields a write may set, in both generations' names (`null` = not given). */
export const secretFieldsShape = {
  tier: tier.describe("standard | sensitive | critical (default standard)"),
  access_tier: tier.describe("Newer name of tier"),
  secret_type: secretType.describe("default custom"),
  type: secretType.describe("Newer name of secret_type"),
  description: z.string().max(1000).nullish(),
  tags: tags.describe("String-to-string map"),
  metadata: tags.describe("Newer name of tags"),
  expires_at: z.iso
    .datetime({ offset: true })
    .nullish()
    .describe("After this instant the secret reads as 404 (ISO-8601)"),
  allowed_destinations: z
    .array(destination)
    .max(MAX_DESTINATIONS)
    .nullish()
    .describe(
      "Where the credential broker may send the value: [{origin, path_prefixes?}]; [] removes the binding (default: kept, or none)",
    ),
  approval: z
    .enum(["per_call", "none"])
    .nullish()
    .describe(
      "per_call: every brokered call with the secret needs a person's approval of that one call",
    ),
};

export const putSecretBody = z.strictObject({
  value: sealedText(
    z.string().min(1).describe("The secret value (≤ 64 KiB by default); never echoed"),
  ),
  ...secretFieldsShape,
});

export const createSecretBody = z.strictObject({
  path: z.string().describe("The secret's path, e.g. production/openai/api-key"),
  value: sealedText(z.string().min(1)),
  ...secretFieldsShape,
});

export const importSecretsBody = z.strictObject({
  namespace: z.string().max(512).describe('Where the keys go ("" = the top level)'),
  content: sealedText(
    z.string().describe(".env text: KEY=VALUE lines, quotes, # comments, export prefix"),
  ),
  ...secretFieldsShape,
});

const gracePeriodSeconds = z
  .number()
  .int()
  .min(0)
  .max(MAX_GRACE_PERIOD_SECONDS)
  .nullish()
  .describe("How long the old version stays readable by version (default 0)");

export const rotateSecretBody = z
  .strictObject({
    new_value: sealedText(z.string().min(1))
      .nullish()
      .describe(
        "The new value. Without it (or with no body: the hosted CLI's rotate) the server generates 32 random bytes, base64url; the answer never shows it, read it with GET",
      ),
    grace_period_seconds: gracePeriodSeconds,
  })
  .nullish();

export const legacyRotateBody = z.strictObject({
  value: sealedText(z.string().min(1)),
  grace_period_seconds: gracePeriodSeconds,
});

const cursor = z.string().max(1024).nullish().describe("next_cursor of the previous page");
const limit = z.coerce.number().int().min(1).max(200).nullish().describe("default 50, max 200");

export const listQuery = z.strictObject({
  namespace: z.string().max(512).nullish().describe('The namespace to list ("" = everything)'),
  limit,
  cursor,
});

export const readQuery = z.strictObject({
  version: z.coerce.number().int().min(1).nullish(),
  limit,
  cursor,
});

export const pathParams = z.object({
  "*": z
    .string()
    .describe(
      "The secret path, with literal slashes or percent-encoded as one segment (production%2Fopenai%2Fapi-key)",
    ),
});

const metadataFields = {
  id: z.string(),
  path: z.string(),
  namespace: z.string(),
  key: z.string(),
  version: z.number().int(),
  tier: z.enum(TIERS),
  access_tier: z.enum(TIERS),
  secret_type: z.string(),
  type: z.string(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  metadata: z.record(z.string(), z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  accessed_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  allowed_destinations: z
    .array(z.object({ origin: z.string(), path_prefixes: z.array(z.string()).optional() }))
    .nullable()
    .describe("Where the credential broker may send the value; null = no binding"),
  approval: z.enum(["per_call", "none"]).describe("per_call: each brokered call needs an approval"),
};

export const secretMetadataResponse = z.object(metadataFields);

// The vault's answer and this schema describe one shape: a field added to one alone fails here.
const metadataShapesAgree: SameShape<
  z.infer<typeof secretMetadataResponse>,
  SecretMetadataBody
> = true;
void metadataShapesAgree;

export const secretValueResponse = z.object({
  ...metadataFields,
  value: z.string().describe("The value of the version read"),
});

export const secretListResponse = z.object({
  namespace: z.string(),
  items: z.array(secretMetadataResponse),
  next_cursor: z.string().nullable(),
});

export const metadataWithVersionsResponse = z.object({
  ...metadataFields,
  versions: z.array(
    z.object({
      version: z.number().int(),
      created_at: z.string(),
      retired_at: z.string().nullable(),
    }),
  ),
});

export const rotationResponse = z.object({
  path: z.string(),
  new_version: z.number().int(),
  old_version: z.number().int(),
  expires_at: z.string().describe("When the old version stops being readable"),
  grace_period_seconds: z.number().int(),
  version: z.number().int().describe("Legacy name of new_version"),
  grace_expires_at: z.string().describe("Legacy name of expires_at"),
});

export const importResponse = z.object({
  namespace: z.string(),
  imported: z.array(z.string()),
  keys: z.array(z.string()).describe("Same as imported"),
  imported_count: z.number().int(),
  skipped: z
    .number()
    .int()
    .describe("Always 0: every key is written, all or none (the hosted product's field)"),
});
