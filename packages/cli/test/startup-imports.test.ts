import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// `ass` starts without the server package (Fastify, the database drivers, the console: about a
// second): only `ass server …` and `ass backup/restore` load it, through serverPackage().

const src = join(import.meta.dirname, "..", "src");

describe("the CLI's start-up", () => {
  it("imports the server package only as types or on demand", async () => {
    const entries = await readdir(src, { recursive: true, withFileTypes: true });
    const eager: string[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts"))
        continue;
      const file = join(entry.parentPath, entry.name);
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(
        /^import (?!type )[^;]*from "@agentsecretstore\/server";/gm,
      )) {
        eager.push(`${relative(src, file)}: ${match[0]}`);
      }
    }
    expect(eager).toEqual([]);
  });
});
