import { fromHostedScope, parseScope, type Scope } from "@agentsecretstore/protocol";
import type { z } from "zod";
import { type IpAllowlist, parseIpAllowlist } from "../domain/ip-allowlist.js";
import { parseTtl } from "../domain/ttl.js";
import { MAX_TOKEN_TTL_SECONDS, type TokenRequest } from "../vault/token-request.js";
import { type ValidationIssue, validationError } from "../vault/vault-error.js";
import type { createTokenBody } from "./schemas/token-schemas.js";

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Merges `scope`/`scopes`, `ttl_seconds`/`ttl`, `allowed_ips`/`ip_allowlist`; 400 on any problem. */
export function readTokenRequest(body: z.infer<typeof createTokenBody>): TokenRequest {
  const issues: ValidationIssue[] = [];
  // The hosted product's names (`read:secrets`) mean that action on every secret.
  const scopeTexts = unique(
    [...(body.scope ? [body.scope] : []), ...(body.scopes ?? [])].flatMap(
      (text) => fromHostedScope(text) ?? [text],
    ),
  );
  if (scopeTexts.length === 0) {
    issues.push({ field: "scope", message: "give scope (a string) or scopes (a non-empty array)" });
  }
  const scopes: Scope[] = [];
  scopeTexts.forEach((text, index) => {
    const parsed = parseScope(text);
    if (parsed.ok) scopes.push(parsed.scope);
    else issues.push({ field: `scopes.${index}`, message: parsed.message });
  });

  let ttlSeconds: number | undefined;
  for (const [field, input] of [
    ["ttl_seconds", body.ttl_seconds],
    ["ttl", body.ttl],
  ] as const) {
    if (input === null || input === undefined) continue;
    const parsed = parseTtl(input);
    if (!parsed.ok) issues.push({ field, message: parsed.message });
    else if (parsed.seconds > MAX_TOKEN_TTL_SECONDS) {
      issues.push({ field, message: `must be at most ${MAX_TOKEN_TTL_SECONDS} seconds (1 day)` });
    } else if (ttlSeconds !== undefined && ttlSeconds !== parsed.seconds) {
      issues.push({ field, message: "ttl and ttl_seconds disagree; give one of them" });
    } else ttlSeconds = parsed.seconds;
  }

  let allowedIps: IpAllowlist | null = null;
  if (body.allowed_ips != null || body.ip_allowlist != null) {
    const entries = unique([...(body.allowed_ips ?? []), ...(body.ip_allowlist ?? [])]);
    const parsed = parseIpAllowlist(entries);
    if (entries.length === 0) {
      issues.push({
        field: "allowed_ips",
        message: "an empty list would allow no address; give addresses or null for any",
      });
    } else if (!parsed.ok) issues.push({ field: "allowed_ips", message: parsed.message });
    else allowedIps = parsed.allowlist;
  }

  if (issues.length > 0) throw validationError(issues);
  return {
    scopes,
    ttlSeconds,
    description: body.description ?? null,
    allowedIps,
    maxUses: body.max_uses ?? undefined,
  };
}
