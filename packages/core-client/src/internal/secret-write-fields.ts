import type { SetSecretOptions } from "../request-options.js";
import { isoTimestamp } from "./option-checks.js";

/**
 * The metadata fields of a write (`PUT /v1/secrets/{path}`, `POST /v1/secrets/import`), in
 * the seed generation's names; unset options stay `undefined` and are left out of the body.
 */
export function secretWriteFields(options: SetSecretOptions): Record<string, unknown> {
  return {
    tier: options.tier,
    secret_type: options.secretType,
    description: options.description,
    tags: options.tags,
    expires_at: isoTimestamp(options.expiresAt),
    // null clears: [] removes a binding, "none" turns per-call approval off.
    allowed_destinations:
      options.allowedDestinations === null
        ? []
        : options.allowedDestinations?.map((d) => ({
            origin: d.origin,
            path_prefixes: d.pathPrefixes ?? undefined,
          })),
    approval: options.approval === null ? "none" : options.approval,
  };
}
