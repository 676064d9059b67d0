import { describe, expect, it } from "vitest";
import { dotenvSensitiveValues } from "./dotenv-values.js";

describe("dotenvSensitiveValues", () => {
  it("finds each value raw and unquoted, and the whole text", () => {
    const content = [
      "# comment",
      "",
      "PLAIN=canary-plain-1a",
      'export QUOTED="canary-quoted-2b"',
      "SINGLE='canary-single-3c'",
      "SPACED = canary-spaced-4d ",
    ].join("\n");
    const values = dotenvSensitiveValues(content);
    expect(values).toContain(content);
    for (const value of [
      "canary-plain-1a",
      "canary-quoted-2b",
      '"canary-quoted-2b"',
      "canary-single-3c",
      "canary-spaced-4d",
    ]) {
      expect(values).toContain(value);
    }
  });

  it("keeps a value whose quote is never closed", () => {
    expect(dotenvSensitiveValues('BROKEN="canary-open-5e')).toContain("canary-open-5e");
  });

  it("skips comments and blank lines, and never returns an empty string", () => {
    const values = dotenvSensitiveValues("# only a comment\n\nEMPTY=\n");
    expect(values).not.toContain("# only a comment");
    expect(values).not.toContain("");
  });
});
