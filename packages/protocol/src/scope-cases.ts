import type { ScopeAction } from "./scope.js";

/** One case of the shared scope table: does `scope` allow `action` on `path`? */
export type ScopeCase = {
  readonly scope: string;
  readonly action: ScopeAction;
  readonly path: string;
  readonly allowed: boolean;
};

/**
 * The cases every implementation of the scope rule is checked against (docs/protocol.md, "Paths
 * and scopes"): the protocol's matcher, the server's enforcement over HTTP, the adapters' local
 * checks. Each line is a rule a reader of the grammar can check by eye.
 */
// biome-ignore format: one case a line reads as a table
export const SCOPE_CASES: readonly ScopeCase[] = Object.freeze([
  // A trailing `*` covers one or more further segments, never the namespace itself.
  { scope: "secrets:read:production/openai/*", action: "read", path: "production/openai/api-key", allowed: true },
  { scope: "secrets:read:production/openai/*", action: "read", path: "production/openai/org/key", allowed: true },
  { scope: "secrets:read:production/openai/*", action: "read", path: "production/openai", allowed: false },
  // Segments compare whole: no prefix matching.
  { scope: "secrets:read:production/openai/*", action: "read", path: "production/openai-evil/x", allowed: false },
  { scope: "secrets:read:production/openai/api-key", action: "read", path: "production/openai/api-key", allowed: true },
  { scope: "secrets:read:production/openai/api-key", action: "read", path: "production/openai/api-key/x", allowed: false },
  { scope: "secrets:read:production/openai/api-key", action: "read", path: "production/openai/api-keys", allowed: false },
  // A `*` inside the pattern matches exactly one segment.
  { scope: "secrets:read:production/*/api-key", action: "read", path: "production/openai/api-key", allowed: true },
  { scope: "secrets:read:production/*/api-key", action: "read", path: "production/openai/org/api-key", allowed: false },
  { scope: "secrets:read:*/openai/*", action: "read", path: "staging/openai/api-key", allowed: true },
  // A lone `*` covers every path.
  { scope: "secrets:read:*", action: "read", path: "anything", allowed: true },
  { scope: "secrets:read:*", action: "read", path: "anything/at/all", allowed: true },
  // Actions: `write` does not imply `read`; `*` grants every action.
  { scope: "secrets:write:production/*", action: "read", path: "production/db", allowed: false },
  { scope: "secrets:write:production/*", action: "write", path: "production/db", allowed: true },
  { scope: "secrets:read:production/*", action: "delete", path: "production/db", allowed: false },
  { scope: "secrets:*:production/*", action: "delete", path: "production/db", allowed: true },
  { scope: "secrets:*:*", action: "write", path: "a/b/c", allowed: true },
  // `use` (brokering a call with the value) is implied by `read` and `*`, and implies nothing.
  { scope: "secrets:use:production/openai/*", action: "use", path: "production/openai/api-key", allowed: true },
  { scope: "secrets:use:production/openai/*", action: "read", path: "production/openai/api-key", allowed: false },
  { scope: "secrets:read:production/openai/*", action: "use", path: "production/openai/api-key", allowed: true },
  { scope: "secrets:*:production/*", action: "use", path: "production/db", allowed: true },
  { scope: "secrets:write:production/*", action: "use", path: "production/db", allowed: false },
  { scope: "secrets:use:production/openai/*", action: "use", path: "production/openai-evil/x", allowed: false },
  // Case matters.
  { scope: "secrets:read:Production/*", action: "read", path: "production/db", allowed: false },
  // Invalid scopes allow nothing.
  { scope: "secrets:read:prod*", action: "read", path: "production/db", allowed: false },
  { scope: "secrets:read:production/**", action: "read", path: "production/db", allowed: false },
  { scope: "secrets:admin:production/*", action: "read", path: "production/db", allowed: false },
  { scope: "read:production/*", action: "read", path: "production/db", allowed: false },
  { scope: "secrets:read:production/../admin/*", action: "read", path: "admin/x", allowed: false },
  // Invalid paths are covered by nothing, not even a lone `*`.
  { scope: "secrets:read:*", action: "read", path: "production/../admin", allowed: false },
  { scope: "secrets:read:*", action: "read", path: "production//db", allowed: false },
  { scope: "secrets:read:*", action: "read", path: "production/db/", allowed: false },
  { scope: "secrets:read:*", action: "read", path: "production/%2e%2e", allowed: false },
]);
