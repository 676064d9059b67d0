import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The server's layers (docs/architecture.md, "Server layers") as import rules: http/ is the
// shell over vault/, which never sees Fastify or HTTP; the store and the database engines know no
// rules and no routes; the pure rules do no I/O.

const src = join(import.meta.dirname, "..", "src");

async function sourcesOf(folder: string): Promise<string[]> {
  const entries = await readdir(join(src, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module a file imports (static and dynamic), as written. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  const found = text.matchAll(
    /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
  );
  return [...found].map((match) => match[1] ?? match[2] ?? "");
}

/** Imports of files in `folder` that resolve into one of `forbidden` (folders of src/, or packages). */
async function violations(folder: string, forbidden: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await sourcesOf(folder)) {
    for (const specifier of await importsOf(file)) {
      const target = specifier.startsWith(".")
        ? relative(src, join(file, "..", specifier))
        : specifier;
      if (forbidden.some((layer) => target === layer || target.startsWith(`${layer}/`))) {
        found.push(`${relative(src, file)} imports ${specifier}`);
      }
    }
  }
  return found;
}

describe("the server's layers", () => {
  it("vault/ knows nothing of HTTP: no import of http/, console/ or Fastify", async () => {
    expect(await violations("vault", ["http", "console", "fastify", "@fastify"])).toEqual([]);
  });

  it("broker/ forwards without Fastify, routes or the store: authorisation is vault/'s", async () => {
    const forbidden = ["http", "console", "store", "db", "fastify", "@fastify"];
    expect(await violations("broker", forbidden)).toEqual([]);
  });

  it("store/ and db/ know no rules and no routes: no import of vault/, http/ or console/", async () => {
    const forbidden = ["vault", "http", "console", "fastify"];
    expect([
      ...(await violations("store", forbidden)),
      ...(await violations("db", forbidden)),
    ]).toEqual([]);
  });

  it("the pure rules stand below the store: domain/, crypto/ and audit/ import no database, route or service", async () => {
    const io = [
      "store",
      "db",
      "http",
      "vault",
      "console",
      "kysely",
      "pg",
      "better-sqlite3",
      "fastify",
    ];
    const found = [
      ...(await violations("domain", io)),
      ...(await violations("crypto", io)),
      ...(await violations("audit", io)),
    ];
    expect(found).toEqual([]);
  });
});
