/**
 * Characters that can make a terminal or a page show other text than the text itself: the C0
 * controls (NUL, tab and newline included), DEL, the C1 controls, and the bidirectional
 * formatting characters (marks, embeddings, overrides, isolates). An ANSI escape in a
 * description can redraw an approver's screen; a right-to-left override can reverse a path.
 * The server refuses them in every free text it is sent (names, descriptions, comments, tags);
 * every printer escapes them in what it shows, for text stored before that rule.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "gu");

/**
 * The character class of {@link findUnsafeCharacter}, as regular-expression source, for code that
 * cannot import this package (the console's browser scripts); a test holds their copy to it.
 */
export const UNSAFE_TEXT_PATTERN: string = UNSAFE.source;

/** The first unsafe character of `text` (its code point as `U+XXXX` and offset), or null. */
export function findUnsafeCharacter(text: string): { codePoint: string; offset: number } | null {
  const found = UNSAFE.exec(text);
  if (found === null) return null;
  return { codePoint: unicodeName(found[0]), offset: found.index };
}

/**
 * `text` with every unsafe character written out as a visible `\u{XXXX}` escape, so that what
 * is shown is exactly what is stored.
 *
 * @example
 * escapeUnsafeText("prod/\u202Ekey"); // "prod/\\u{202E}key"
 */
export function escapeUnsafeText(text: string): string {
  return text.replace(UNSAFE_ALL, (character) => `\\u{${unicodeName(character).slice(2)}}`);
}

function unicodeName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}
