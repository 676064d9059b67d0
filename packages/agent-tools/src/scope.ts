/** What a scope grants (API.md: `secrets:<action>:<pattern>`). */
export type ScopeAction = "read" | "write" | "delete";

/**
 * Whether `pattern` covers `path` under the API's wildcard rules: a `*` segment matches exactly
 * one segment, except as the last segment, where it matches one or more; a lone `*` matches
 * everything. `production/openai/*` never covers `production/openai` itself.
 */
export function patternCovers(pattern: string, path: string): boolean {
  if (pattern === "*") return true;
  const wanted = pattern.split("/");
  const actual = path.split("/");
  for (let index = 0; index < wanted.length; index += 1) {
    const segment = wanted[index];
    const isLast = index === wanted.length - 1;
    if (segment === "*" && isLast) return actual.length > index;
    if (index >= actual.length) return false;
    if (segment !== "*" && segment !== actual[index]) return false;
  }
  return actual.length === wanted.length;
}

/** Whether the scope string grants `action` on `path`. */
export function scopeCovers(scope: string, action: ScopeAction, path: string): boolean {
  const match = /^secrets:(read|write|delete|\*):(.+)$/.exec(scope);
  if (match === null) return false;
  const [, scopeAction, pattern] = match;
  if (scopeAction !== "*" && scopeAction !== action) return false;
  return patternCovers(pattern ?? "", path);
}
