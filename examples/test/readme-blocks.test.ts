import { describe, expect, it } from "vitest";
import {
  extractCodeBlocks,
  filesRunIn,
  pnpmScriptsIn,
  typeScriptPrograms,
  usesUndeclared,
} from "./readme-blocks.js";

const markdown = [
  "# Title",
  "```sh",
  "pnpm install && pnpm demo   # comment",
  "```",
  "## Part one",
  "```ts",
  "const a = 1;",
  "```",
  "<!-- snippet: continues -->",
  "```ts",
  "console.log(a);",
  "```",
  "## Part two",
  "```ts",
  "console.log(2);",
  "```",
].join("\n");

describe("README code blocks", () => {
  it("extracts each fenced block with its language, heading and line", () => {
    const blocks = extractCodeBlocks(markdown);
    expect(blocks.map((block) => [block.language, block.heading, block.line])).toEqual([
      ["sh", "Title", 2],
      ["ts", "Part one", 6],
      ["ts", "Part one", 10],
      ["ts", "Part two", 14],
    ]);
  });

  it("appends a block marked as continuing to the program before it", () => {
    const programs = typeScriptPrograms(extractCodeBlocks(markdown));
    expect(programs.map((program) => program.code)).toEqual([
      "const a = 1;",
      "const a = 1;\nconsole.log(a);",
      "console.log(2);",
    ]);
  });

  it("sees a name as undeclared only when code (not a comment or string) uses it", () => {
    expect(usesUndeclared("createOpenAI({ vault, token: token.value })", "vault")).toBe(true);
    expect(usesUndeclared("await using vault = new AgentVault();\nvault.x()", "vault")).toBe(false);
    expect(usesUndeclared('// the vault\nconsole.log("vault")', "vault")).toBe(false);
  });

  it("finds pnpm scripts (not pnpm's own commands) and files that shell lines run", () => {
    const shell =
      "npm install -g pnpm@10 && pnpm install && pnpm demo\npnpm --silent ass server > .env.ass # x\nbash .ci/run\nnode --import tsx examples/demo.ts";
    expect(pnpmScriptsIn(shell)).toEqual(["demo", "ass"]);
    expect(filesRunIn(shell)).toEqual([".ci/run", "examples/demo.ts"]);
  });
});
