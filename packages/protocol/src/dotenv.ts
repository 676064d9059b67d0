import { checkSecretPath } from "./secret-path.js";

export type DotenvEntry = { key: string; value: string; line: number };
export type DotenvIssue = { line: number; message: string };

const ASSIGNMENT = /^([^=\s]+)[ \t]*=[ \t]*(.*)$/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** Text after a closing quote may only be blanks or a comment. */
function onlyCommentAfter(rest: string): boolean {
  return /^[ \t]*(#.*)?$/.test(rest);
}

/**
 * Parses `.env` text: `KEY=VALUE` lines, blank lines and `#` comments skipped, an optional
 * `export ` prefix, unquoted values (a ` #` starts a comment), 'single-quoted' literal values,
 * and "double-quoted" values with \n, \r, \t, \" and \\ escapes; quoted values may span lines.
 * Keys must be valid path segments. Messages name lines and keys, never values.
 */
export function parseDotenv(
  content: string,
): { ok: true; entries: DotenvEntry[] } | { ok: false; issues: DotenvIssue[] } {
  const lines = content.split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const issues: DotenvIssue[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    let text = (lines[index] ?? "").trimStart();
    if (text === "" || text.startsWith("#")) continue;
    if (/^export[ \t]+/.test(text)) text = text.replace(/^export[ \t]+/, "");
    const assignment = ASSIGNMENT.exec(text);
    if (assignment === null) {
      issues.push({ line: lineNumber, message: "expected KEY=VALUE" });
      continue;
    }
    const key = assignment[1] ?? "";
    let rest = assignment[2] ?? "";
    const checked = checkSecretPath(key);
    if (!checked.ok || checked.path.segments.length !== 1) {
      issues.push({
        line: lineNumber,
        message: `key ${JSON.stringify(key.slice(0, 64))} is not a valid name: use 1-128 of [A-Za-z0-9._-]`,
      });
      continue;
    }
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      // A quoted value may continue on the following lines (PEM keys, certificates).
      while (close === -1 && index + 1 < lines.length) {
        index += 1;
        body += `\n${lines[index] ?? ""}`;
        close = findClosingQuote(body, quote);
      }
      if (close === -1 || !onlyCommentAfter(body.slice(close + 1))) {
        issues.push({
          line: lineNumber,
          message: `the quoted value of ${key} is not closed properly`,
        });
        continue;
      }
      const raw = body.slice(0, close);
      value =
        quote === "'"
          ? raw
          : raw.replace(/\\(.)/gs, (match, character: string) => ESCAPES[character] ?? match);
    } else {
      const comment = /[ \t]#/.exec(rest);
      if (comment !== null) rest = rest.slice(0, comment.index);
      value = rest.trimEnd();
    }
    if (value === "") {
      issues.push({ line: lineNumber, message: `${key} has an empty value` });
      continue;
    }
    if (seen.has(key)) {
      issues.push({ line: lineNumber, message: `${key} is given twice` });
      continue;
    }
    seen.add(key);
    entries.push({ key, value, line: lineNumber });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, entries };
}

function findClosingQuote(body: string, quote: string): number {
  for (let position = 0; position < body.length; position += 1) {
    const character = body[position];
    if (quote === '"' && character === "\\") {
      position += 1;
      continue;
    }
    if (character === quote) return position;
  }
  return -1;
}
