import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// docs/security.md names, for each invariant, the tests that guard it ("file › title"). A
// renamed or deleted test must not leave the page pointing at nothing.

const PACKAGES = new URL("../../", import.meta.url);
const DOC = readFileSync(new URL("../docs/security.md", PACKAGES), "utf8");

/** Every (file, title) cited: a `file` followed by one or more "› title" parts. */
function citations(): { file: string; title: string }[] {
  const found: { file: string; title: string }[] = [];
  for (const row of DOC.split("\n").filter((line) => line.startsWith("| "))) {
    const cell = row.split("|").at(-2) ?? "";
    let file: string | undefined;
    for (const part of cell.split(/;\s(?=`|›)|(?=›)/)) {
      const named = /`([\w./-]+\.test\.ts)`/.exec(part);
      if (named !== null) file = named[1];
      const title = /›\s*(.+)$/.exec(part.trim());
      if (title !== null && file !== undefined) found.push({ file, title: title[1]!.trim() });
    }
  }
  return found;
}

describe("docs/security.md", () => {
  const cited = citations();

  it("cites tests", () => {
    expect(cited.length).toBeGreaterThan(30);
  });

  it.each(cited)("$file has the test '$title'", ({ file, title }) => {
    const path = new URL(file, PACKAGES);
    expect(existsSync(path), file).toBe(true);
    expect(readFileSync(path, "utf8")).toContain(`"${title}"`);
  });
});
