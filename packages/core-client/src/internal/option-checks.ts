import type { AgentVaultCacheOptions } from "../agent-vault-options.js";
import { AgentVaultConfigurationError, AgentVaultValidationError } from "../errors.js";
import type { RequestTokenOptions } from "../request-options.js";

// Client-side checks of method arguments and constructor options: mistakes a caller can
// fix get a typed error before anything is sent.

/** The `scope` / `scopes` body fields of a token request (exactly one of them). */
export function scopeFields(
  options: RequestTokenOptions,
): { scope: string } | { scopes: string[] } {
  const { scope, scopes } = options;
  if (scope !== undefined && scopes !== undefined) {
    throw invalid("scope", "give scope or scopes, not both");
  }
  if (scope !== undefined && scope !== "") return { scope };
  if (scopes !== undefined && scopes.length > 0) return { scopes: [...scopes] };
  throw invalid("scope", 'is required, e.g. { scope: "secrets:read:production/openai/*" }');
}

export function isoTimestamp(value: Date | string | undefined): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (Number.isNaN(value.getTime())) throw invalid("expiresAt", "is an invalid Date");
  return value.toISOString();
}

export function invalid(field: string, problem: string): AgentVaultValidationError {
  return new AgentVaultValidationError(`Invalid ${field}: ${problem}.`, {
    code: "VALIDATION_ERROR",
    issues: [{ field, message: problem }],
  });
}

export function checkNumber(value: number, name: string, minimum: number, integer = false): number {
  if (Number.isFinite(value) && value >= minimum && (!integer || Number.isInteger(value))) {
    return value;
  }
  throw new AgentVaultConfigurationError(
    `The ${name} option must be ${integer ? "an integer" : "a number"} ≥ ${minimum}, got ${String(value)}.`,
    { code: "INVALID_OPTION" },
  );
}

export function checkCache(cache: AgentVaultCacheOptions): AgentVaultCacheOptions {
  checkNumber(cache.ttl, "cache.ttl", 0);
  if (cache.jitter !== undefined && checkNumber(cache.jitter, "cache.jitter", 0) > 1) {
    throw new AgentVaultConfigurationError("The cache.jitter option must be between 0 and 1.", {
      code: "INVALID_OPTION",
    });
  }
  if (cache.maxEntries !== undefined) checkNumber(cache.maxEntries, "cache.maxEntries", 1, true);
  return cache;
}

/** A required, non-blank text argument (a name); `example` shows what would do. */
export function requireText(value: unknown, field: string, example: string): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  throw invalid(field, `is required, e.g. ${example}`);
}
