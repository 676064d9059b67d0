/**
 * The segment rules shared by secret paths, namespaces and scope patterns (docs/protocol.md, "Paths
 * and scopes"). `secret-path.ts` and `scope.ts` wrap it.
 */

/** At most this many segments in a path, namespace or scope pattern. */
export const MAX_SEGMENTS = 16;
/** At most this many characters in one segment. */
export const MAX_SEGMENT_LENGTH = 128;
/** At most this many characters in a whole path (separators included). */
export const MAX_PATH_LENGTH = 512;

const SEGMENT_CHARACTER = /^[A-Za-z0-9._-]$/;
const ALLOWED_CHARACTERS = "A-Z, a-z, 0-9, '.', '_' and '-'";

/** What the caller is checking, used to word messages ("path", "namespace", "scope pattern"). */
export type SegmentsOptions = {
  readonly label: string;
  /** Whether a segment may be exactly `*` (scope patterns only). */
  readonly allowWildcard: boolean;
};

export type SegmentsResult =
  | { ok: true; segments: readonly string[] }
  | { ok: false; message: string };

/**
 * Splits `raw` on `/` after checking every rule; never normalises. Messages say what to fix and
 * name bad characters by code point, so that control characters never reach a log line verbatim.
 */
export function checkSegments(raw: unknown, options: SegmentsOptions): SegmentsResult {
  const { label } = options;
  if (typeof raw !== "string") return fail(`${label} must be a string`);
  if (raw.length === 0) return fail(`${label} must not be empty`);
  if (raw.length > MAX_PATH_LENGTH) {
    return fail(
      `${label} is ${raw.length} characters long; at most ${MAX_PATH_LENGTH} are allowed`,
    );
  }
  const badCharacter = findBadCharacter(raw, options);
  if (badCharacter !== null) return fail(`${label} ${badCharacter}`);
  if (raw.startsWith("/")) return fail(`${label} must not start with '/'; remove the leading '/'`);
  if (raw.endsWith("/")) return fail(`${label} must not end with '/'; remove the trailing '/'`);
  if (raw.includes("//")) {
    return fail(
      `${label} must not contain an empty segment ('//'); use a single '/' between segments`,
    );
  }
  const segments = raw.split("/");
  if (segments.length > MAX_SEGMENTS) {
    return fail(`${label} has ${segments.length} segments; at most ${MAX_SEGMENTS} are allowed`);
  }
  for (const [index, segment] of segments.entries()) {
    const problem = segmentProblem(segment, options);
    if (problem !== null) return fail(`${label} segment ${index + 1} ${problem}`);
  }
  return { ok: true, segments };
}

function segmentProblem(segment: string, options: SegmentsOptions): string | null {
  if (segment === "." || segment === "..") {
    return `is '${segment}'; '.' and '..' segments are not allowed (paths are never normalised)`;
  }
  if (segment.length > MAX_SEGMENT_LENGTH) {
    return `is ${segment.length} characters long; at most ${MAX_SEGMENT_LENGTH} are allowed`;
  }
  if (options.allowWildcard && segment.includes("*") && segment !== "*") {
    // Only whole-segment wildcards exist; `prod*` or `**` would invite prefix-matching surprises.
    return `('${segment}') mixes '*' with other characters; a wildcard segment must be exactly '*'`;
  }
  return null;
}

function findBadCharacter(raw: string, options: SegmentsOptions): string | null {
  let position = 0;
  for (const character of raw) {
    position += 1;
    if (character === "/" || SEGMENT_CHARACTER.test(character)) continue;
    if (character === "*" && options.allowWildcard) continue;
    const where = `at character ${position}`;
    const codePoint = describeCodePoint(character);
    if (character === "%") {
      return `contains '%' ${where}; percent-escapes are decoded exactly once and a remaining '%' (double encoding) is rejected`;
    }
    if (isControl(character)) {
      return `contains a control character (${codePoint}) ${where}; remove it`;
    }
    if (/\s/u.test(character)) {
      return `contains whitespace (${codePoint}) ${where}; segments may only use ${ALLOWED_CHARACTERS}`;
    }
    const shown = character.codePointAt(0)! < 0x7f ? `'${character}' ` : "";
    return `contains the character ${shown}(${codePoint}) ${where}; segments may only use ${ALLOWED_CHARACTERS}`;
  }
  return null;
}

function isControl(character: string): boolean {
  const codePoint = character.codePointAt(0)!;
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0);
}

function describeCodePoint(character: string): string {
  const codePoint = character.codePointAt(0)!;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
