import { checkSegments, MAX_SEGMENTS } from "./path-segments.js";
import { checkNamespace, checkSecretPath } from "./secret-path.js";

/**
 * What a request does to a secret. `write` does not imply `read`. `use` is brokering a call with
 * the secret's value (`ANY /v1/broker/{route}/…`) without ever receiving it; `read` implies `use`.
 */
export type ScopeAction = "read" | "write" | "delete" | "use";

/** A parsed scope such as `secrets:read:production/openai/*`, or `namespaces:read`. */
export type Scope = {
  /** The scope exactly as given. */
  readonly text: string;
  /**
   * `secrets`: an action on the secrets a pattern covers. `namespaces`: {@link NAMESPACES_READ},
   * which covers no secret (its pattern is empty) and only lets the holder list namespace names.
   */
  readonly resource: "secrets" | "namespaces";
  /** The action it grants; `*` grants all four, `read` also grants `use`. */
  readonly action: ScopeAction | "*";
  /** The pattern's segments; a segment may be exactly `*`. */
  readonly pattern: readonly string[];
};

/** Every action a scope can name, `*` aside. */
export const SCOPE_ACTIONS: readonly ScopeAction[] = Object.freeze([
  "read",
  "write",
  "delete",
  "use",
]);
const MAX_SCOPE_LENGTH = 600;
const GRAMMAR = "secrets:<read|write|delete|use|*>:<pattern>";

/**
 * The scope that lets a credential list the names of its tenant's namespaces
 * (`GET /v1/namespaces`), never a key, a value or metadata. It lies within a ceiling that holds
 * it, or one that may read every secret (`secrets:read:*`, `secrets:*:*`).
 */
export const NAMESPACES_READ = "namespaces:read";

/**
 * The hosted product's 1.0 scope names (action first, no path) and the action each one means
 * here. `rotate:secrets` and `import:secrets` are writes. `manage:agents` has no equivalent:
 * agents are managed with admin keys.
 */
const HOSTED_SCOPE_ACTIONS: Readonly<Record<string, ScopeAction>> = {
  "read:secrets": "read",
  "write:secrets": "write",
  "rotate:secrets": "write",
  "import:secrets": "write",
  "delete:secrets": "delete",
};

/**
 * A hosted-product scope name in this grammar: the action on every secret, or on every secret
 * below each of `namespaces` (the hosted `allowed_namespaces`). `undefined` when `text` is not
 * one of those names (it is then parsed as it is).
 *
 * @example
 * fromHostedScope("read:secrets"); // ["secrets:read:*"]
 * fromHostedScope("rotate:secrets", ["production"]); // ["secrets:write:production/*"]
 */
export function fromHostedScope(
  text: string,
  namespaces: readonly string[] = [],
): string[] | undefined {
  const action = Object.hasOwn(HOSTED_SCOPE_ACTIONS, text) ? HOSTED_SCOPE_ACTIONS[text] : undefined;
  if (action === undefined) return undefined;
  if (namespaces.length === 0) return [`secrets:${action}:*`];
  return namespaces.map((namespace) => `secrets:${action}:${namespace}/*`);
}

/**
 * Parses a scope in the grammar `secrets:<read|write|delete|use|*>:<pattern>`. The pattern is a path
 * whose segments may be exactly `*`; a lone `*` covers everything. Partial wildcards (`prod*`,
 * `**`, `*x`) are rejected.
 *
 * @example
 * parseScope("secrets:read:production/openai/*"); // { ok: true, scope: { action: "read", pattern: ["production", "openai", "*"], ... } }
 * parseScope("secrets:read:prod*"); // { ok: false, message: "scope pattern segment 1 ('prod*') mixes '*' ..." }
 */
export function parseScope(
  text: string,
): { ok: true; scope: Scope } | { ok: false; message: string } {
  if (typeof text !== "string") return { ok: false, message: "scope must be a string" };
  if (text.length > MAX_SCOPE_LENGTH) {
    return { ok: false, message: `scope is too long; at most ${MAX_SCOPE_LENGTH} characters` };
  }
  if (text === NAMESPACES_READ) {
    return { ok: true, scope: { text, resource: "namespaces", action: "read", pattern: [] } };
  }
  if (text === "manage:agents") {
    return {
      ok: false,
      message:
        "manage:agents (a hosted-product scope) does not exist here: admin keys manage agents",
    };
  }
  const parts = text.split(":");
  if (parts.length !== 3 || parts[0] !== "secrets") {
    return { ok: false, message: `scope must have the form ${GRAMMAR} (or ${NAMESPACES_READ})` };
  }
  const action = parts[1]!;
  if (action !== "*" && !SCOPE_ACTIONS.includes(action as ScopeAction)) {
    return {
      ok: false,
      message: `scope action must be one of read, write, delete, use or '*' (${GRAMMAR})`,
    };
  }
  const checked = checkSegments(parts[2], { label: "scope pattern", allowWildcard: true });
  if (!checked.ok) return checked;
  return {
    ok: true,
    scope: {
      text,
      resource: "secrets",
      action: action as ScopeAction | "*",
      pattern: checked.segments,
    },
  };
}

/**
 * Whether `scope` allows `action` on `path`. A `*` segment matches exactly one segment, except
 * as the last segment of the pattern, where it matches one or more remaining segments:
 * `production/openai/*` covers `production/openai/api-key` and `production/openai/org/key`, never
 * `production/openai` itself nor `production/openai-evil/x`. An invalid path is never allowed.
 */
export function scopeAllows(scope: Scope, action: ScopeAction, path: string): boolean {
  if (scope.resource !== "secrets") return false;
  if (!actionGrants(scope.action, action)) return false;
  const checked = checkSecretPath(path);
  if (!checked.ok) return false;
  return patternMatches(scope.pattern, checked.path.segments);
}

/**
 * Whether the scope text allows `action` on `path`: {@link parseScope} then {@link scopeAllows}.
 * Text that is not a valid scope allows nothing.
 *
 * @example
 * scopeCovers("secrets:read:production/openai/*", "read", "production/openai/api-key"); // true
 */
export function scopeCovers(text: string, action: ScopeAction, path: string): boolean {
  const parsed = parseScope(text);
  return parsed.ok && scopeAllows(parsed.scope, action, path);
}

/**
 * Whether a scope pattern (`production/openai/*`, no `secrets:<action>:` in front) covers
 * `path`, with the same wildcard rules as {@link scopeAllows}. An invalid pattern or path covers
 * nothing.
 */
export function patternCovers(pattern: string, path: string): boolean {
  const checkedPattern = checkSegments(pattern, { label: "scope pattern", allowWildcard: true });
  if (!checkedPattern.ok) return false;
  const checkedPath = checkSecretPath(path);
  return checkedPath.ok && patternMatches(checkedPattern.segments, checkedPath.path.segments);
}

/** Whether any of `scopes` allows `action` on `path` (default deny: none given, none allowed). */
export function scopesAllow(scopes: readonly Scope[], action: ScopeAction, path: string): boolean {
  return scopes.some((scope) => scopeAllows(scope, action, path));
}

/**
 * Whether every (action, path) that `child` allows is also allowed by `parent`. Sound for all
 * valid paths: `true` guarantees containment; `false` can also mean containment that holds only
 * because of the 16-segment / 512-character limits.
 */
export function scopeWithin(child: Scope, parent: Scope): boolean {
  if (child.resource === "namespaces") {
    return parent.resource === "namespaces" || readsEverything(parent);
  }
  if (parent.resource !== "secrets") return false;
  if (child.action === "*" ? parent.action !== "*" : !actionGrants(parent.action, child.action)) {
    return false;
  }
  return patternWithin(child.pattern, parent.pattern);
}

/**
 * Whether every child scope lies within the ceiling. A child is within when some ceiling scope
 * contains it; a child with action `*` is also within when each of read, write and delete is
 * covered by some ceiling scope (e.g. read, write and delete ceilings on the same pattern: read
 * covers use).
 */
export function scopesWithin(children: readonly Scope[], ceiling: readonly Scope[]): boolean {
  return children.every((child) => {
    if (ceiling.some((parent) => scopeWithin(child, parent))) return true;
    if (child.action !== "*") return false;
    return SCOPE_ACTIONS.every((action) =>
      ceiling.some((parent) => scopeWithin({ ...child, action }, parent)),
    );
  });
}

/**
 * Whether the scopes let their holder list the tenant's namespace names: they hold
 * {@link NAMESPACES_READ}, or may read every secret.
 */
export function scopesListNamespaces(scopes: readonly Scope[]): boolean {
  return scopes.some((scope) => scope.resource === "namespaces" || readsEverything(scope));
}

function readsEverything(scope: Scope): boolean {
  return (
    scope.resource === "secrets" &&
    (scope.action === "*" || scope.action === "read") &&
    scope.pattern.length === 1 &&
    scope.pattern[0] === "*"
  );
}

/** Whether a scope's action grants `action`: itself, `*` everything, `read` also `use`. */
function actionGrants(granted: ScopeAction | "*", action: ScopeAction): boolean {
  return granted === "*" || granted === action || (granted === "read" && action === "use");
}

/** The narrowest scope that allows `action` on `path`, e.g. `secrets:read:production/openai/api-key`. */
export function requiredScope(action: ScopeAction, path: string): string {
  return `secrets:${action}:${path}`;
}

/**
 * Whether some scope could allow reading some path strictly below `namespace` (`""` = the whole
 * tenant). Used to choose between a filtered listing and a 403 for a namespace listing; the
 * listing itself must still filter every item with {@link scopesAllow}.
 */
export function mayReadBelow(scopes: readonly Scope[], namespace: string): boolean {
  if (!checkNamespace(namespace).ok) return false;
  const prefix = namespace === "" ? [] : namespace.split("/");
  if (prefix.length >= MAX_SEGMENTS) return false;
  return scopes.some((scope) => {
    if (scope.resource !== "secrets") return false;
    if (scope.action !== "*" && scope.action !== "read") return false;
    const { pattern } = scope;
    const trailing = pattern[pattern.length - 1] === "*";
    // A fixed-length pattern must be longer than the namespace to reach below it; a trailing `*`
    // can always extend the path, so only the segments both sides fix need to agree.
    if (!trailing && pattern.length <= prefix.length) return false;
    const fixed = trailing ? pattern.length - 1 : pattern.length;
    const compared = Math.min(fixed, prefix.length);
    for (let index = 0; index < compared; index += 1) {
      if (pattern[index] !== "*" && pattern[index] !== prefix[index]) return false;
    }
    return true;
  });
}

function patternMatches(pattern: readonly string[], segments: readonly string[]): boolean {
  const last = pattern.length - 1;
  const trailing = pattern[last] === "*";
  if (trailing ? segments.length < pattern.length : segments.length !== pattern.length) {
    return false;
  }
  for (let index = 0; index < (trailing ? last : pattern.length); index += 1) {
    if (pattern[index] !== "*" && pattern[index] !== segments[index]) return false;
  }
  return true;
}

/** Language containment of two patterns, where a last `*` means "one or more segments". */
function patternWithin(child: readonly string[], parent: readonly string[]): boolean {
  const childTrailing = child[child.length - 1] === "*";
  const parentTrailing = parent[parent.length - 1] === "*";
  if (!parentTrailing) {
    // A fixed-length parent cannot hold a child that grows, nor one of another length.
    if (childTrailing || child.length !== parent.length) return false;
    return parent.every((segment, index) => segment === "*" || segment === child[index]);
  }
  // The parent's trailing `*` absorbs whatever the child has from that position on, as long as
  // the child always has at least one segment there.
  if (child.length < parent.length) return false;
  for (let index = 0; index < parent.length - 1; index += 1) {
    const segment = parent[index];
    if (segment !== "*" && segment !== child[index]) return false;
  }
  return true;
}
