import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { McpConfigError } from "../mcp-config-error.js";
import { destinationsFromEnvironment, readConfigFile } from "./destinations-config.js";

describe("destinationsFromEnvironment", () => {
  it("reads a JSON array, leaving absent fields out", () => {
    expect(
      destinationsFromEnvironment(
        '[{"origin":"https://api.github.com","secretPaths":["production/github/*"]}]',
      ),
    ).toEqual([{ origin: "https://api.github.com", secretPaths: ["production/github/*"] }]);
  });

  it("keeps a destination's broker route", () => {
    expect(
      destinationsFromEnvironment(
        '[{"origin":"https://api.openai.com","secretPaths":["production/openai/api-key"],"broker":"openai"}]',
      ),
    ).toEqual([
      {
        origin: "https://api.openai.com",
        secretPaths: ["production/openai/api-key"],
        broker: "openai",
      },
    ]);
  });

  it("means no destination when unset or blank", () => {
    expect(destinationsFromEnvironment(undefined)).toEqual([]);
    expect(destinationsFromEnvironment("  ")).toEqual([]);
  });

  it("refuses text that is not JSON", () => {
    expect(() => destinationsFromEnvironment("origin=https://x")).toThrow(McpConfigError);
  });

  it("refuses an unknown field, so that a typo cannot widen what is allowed", () => {
    expect(() =>
      destinationsFromEnvironment('[{"origin":"https://x.example","secretPath":["a/*"]}]'),
    ).toThrow(/secretPath/);
  });

  it("refuses a method outside GET, POST, PUT, PATCH, DELETE", () => {
    expect(() =>
      destinationsFromEnvironment('[{"origin":"https://x.example","methods":["TRACE"]}]'),
    ).toThrow(/methods/);
  });
});

describe("readConfigFile", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "ass-mcp-config-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("reads the destinations of a configuration file", async () => {
    const path = join(folder, "ok.json");
    await writeFile(
      path,
      JSON.stringify({ destinations: [{ origin: "https://api.stripe.com", methods: ["POST"] }] }),
    );
    expect(await readConfigFile(path)).toEqual({
      destinations: [{ origin: "https://api.stripe.com", methods: ["POST"] }],
    });
  });

  it("names a file it cannot read", async () => {
    await expect(readConfigFile(join(folder, "missing.json"))).rejects.toThrow(
      /missing\.json \(ENOENT\)/,
    );
  });

  it("refuses unknown top-level fields", async () => {
    const path = join(folder, "unknown.json");
    await writeFile(path, JSON.stringify({ destination: [] }));
    await expect(readConfigFile(path)).rejects.toThrow(/not valid/);
  });
});
