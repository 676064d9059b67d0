import { checkDestinationBinding, type DestinationBinding } from "@agentsecretstore/protocol";
import type { z } from "zod";
import type { SecretFields } from "../vault/secret-fields.js";
import { type ValidationIssue, validationError } from "../vault/vault-error.js";
import type { secretFieldsShape } from "./schemas/secret-schemas.js";

type FieldsInput = {
  [K in keyof typeof secretFieldsShape]?: z.infer<(typeof secretFieldsShape)[K]>;
};

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * Merges both generations' names (`tier`/`access_tier`, `secret_type`/`type`, `tags`/`metadata`);
 * giving both with different values is a 400, never a silent pick. `expires_at` must lie ahead.
 */
export function readSecretFields(body: FieldsInput, now: Date): SecretFields {
  const issues: ValidationIssue[] = [];
  const pick = <T>(
    first: string,
    a: T | null | undefined,
    second: string,
    b: T | null | undefined,
  ) => {
    const left = a ?? undefined;
    const right = b ?? undefined;
    if (left !== undefined && right !== undefined && !sameJson(left, right)) {
      issues.push({ field: second, message: `disagrees with ${first}; give one of them` });
    }
    return left ?? right;
  };
  const tier = pick("tier", body.tier, "access_tier", body.access_tier);
  const secretType = pick("secret_type", body.secret_type, "type", body.type);
  const tags = pick("tags", body.tags, "metadata", body.metadata);
  let expiresAt: string | undefined;
  if (body.expires_at != null) {
    const instant = new Date(body.expires_at);
    if (instant.getTime() <= now.getTime()) {
      issues.push({ field: "expires_at", message: "must be in the future" });
    } else expiresAt = instant.toISOString();
  }
  const allowedDestinations = readDestinations(body.allowed_destinations, issues);
  if (issues.length > 0) throw validationError(issues);
  return {
    tier,
    secretType,
    description: body.description ?? undefined,
    tags,
    expiresAt,
    ...(allowedDestinations === undefined ? {} : { allowedDestinations }),
    ...(body.approval == null
      ? {}
      : { approval: body.approval === "per_call" ? "per_call" : null }),
  };
}

/** `allowed_destinations` checked and normalised; `[]` removes the binding (null), absent keeps it. */
function readDestinations(
  given: FieldsInput["allowed_destinations"],
  issues: ValidationIssue[],
): DestinationBinding[] | null | undefined {
  if (given == null) return undefined;
  if (given.length === 0) return null;
  const checked: DestinationBinding[] = [];
  given.forEach((entry, index) => {
    const result = checkDestinationBinding(
      entry.path_prefixes === undefined
        ? { origin: entry.origin }
        : { origin: entry.origin, path_prefixes: entry.path_prefixes },
    );
    if (result.ok) checked.push(result.value);
    else issues.push({ field: `allowed_destinations[${index}]`, message: result.message });
  });
  return checked;
}
