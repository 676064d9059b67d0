import type { Scope } from "@agentsecretstore/protocol";
import type { IpAllowlist } from "../domain/ip-allowlist.js";

/** Largest TTL a token may have (docs/protocol.md), in seconds. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;
/** A token's lifetime when none is asked for (a child's is capped by its parent's), in seconds. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3_600;

/** A token request with both generations' fields merged and every field checked. */
export type TokenRequest = {
  scopes: Scope[];
  /** Seconds; undefined = the default (which a parent token may cap). */
  ttlSeconds: number | undefined;
  description: string | null;
  allowedIps: IpAllowlist | null;
  /** undefined = the default (unlimited, or a parent token's remaining uses). */
  maxUses: number | undefined;
};
