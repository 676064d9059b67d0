import { describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv.js";

function values(content: string): Record<string, string> {
  const parsed = parseDotenv(content);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return Object.fromEntries(parsed.entries.map((entry) => [entry.key, entry.value]));
}

describe("parseDotenv", () => {
  it("reads plain, exported, commented and blank lines", () => {
    expect(
      values("# a comment\n\nPLAIN=fake-one\nexport EXPORTED=fake-two\n  SPACED = fake-three  \n"),
    ).toEqual({ PLAIN: "fake-one", EXPORTED: "fake-two", SPACED: "fake-three" });
  });

  it("cuts an inline comment after an unquoted value but keeps a # inside it", () => {
    expect(values("A=fake#not-comment # comment\n")).toEqual({ A: "fake#not-comment" });
  });

  it("keeps single-quoted values literally and unescapes double-quoted ones", () => {
    expect(values('S=\'fake \\n # kept\'\nD="line1\\nline2 \\"q\\" \\\\" # c\n')).toEqual({
      S: "fake \\n # kept",
      D: 'line1\nline2 "q" \\',
    });
  });

  it("reads a double-quoted value that spans lines", () => {
    expect(values('PEM="-----BEGIN FAKE-----\nabc\n-----END FAKE-----"\nNEXT=1')).toEqual({
      PEM: "-----BEGIN FAKE-----\nabc\n-----END FAKE-----",
      NEXT: "1",
    });
  });

  it("accepts CRLF line endings", () => {
    expect(values("A=1\r\nB=2\r\n")).toEqual({ A: "1", B: "2" });
  });

  it("reports bad lines, bad keys, empty values, duplicates and unclosed quotes by line, without values", () => {
    const parsed = parseDotenv(
      'no-equals-sign\nBAD/KEY=canary-value-1f3a\nEMPTY=\nDUP=1\nDUP=2\nOPEN="canary-value-1f3a',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.line)).toEqual([1, 2, 3, 5, 6]);
    expect(JSON.stringify(parsed.issues)).not.toContain("canary-value");
  });

  it("rejects keys that would escape the namespace", () => {
    for (const key of ["..", ".", "a/b", "a%2Fb"]) {
      expect(parseDotenv(`${key}=fake`).ok).toBe(false);
    }
  });
});
