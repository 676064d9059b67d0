import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// What a user gets from the registry, not from the workspace: the client is packed as
// `pnpm publish` would pack it, installed with npm into an empty project, and imported there.
// It needs the build (`pnpm build`, which CI runs before the tests).

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const ENTRIES = ["", "/sync", "/admin", "/cache", "/import", "/orchestrator"];

let scratch: string;
let installed: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  if (!existsSync(join(PACKAGE_DIR, "dist/index.js"))) {
    throw new Error("packages/core-client/dist is missing: run `pnpm build` before this test");
  }
  scratch = mkdtempSync(join(tmpdir(), "ass-packed-client-"));
  run("pnpm", ["pack", "--pack-destination", scratch], PACKAGE_DIR);
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
  if (tarball === undefined) throw new Error("pnpm pack wrote no tarball");
  const project = join(scratch, "project");
  run("mkdir", ["-p", project], scratch);
  writeFileSync(join(project, "package.json"), '{"name":"scratch","private":true,"type":"module"}');
  // --offline: the client has no dependencies, so nothing may need the network.
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", join(scratch, tarball)], project);
  installed = join(project, "node_modules/@agentsecretstore/client");
}, 120_000);

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** Every file below `dir`, relative paths. */
function filesBelow(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe("the packed client", () => {
  it("ships its dist, README and LICENSE, and depends on nothing", () => {
    const files = filesBelow(installed);
    expect(files).toEqual(
      expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/index.js"]),
    );
    expect(files.some((file) => file.startsWith("src/"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
    expect(manifest.repository.directory).toBe("packages/core-client");
  });

  it("imports nothing from the private protocol package, which it bundles", () => {
    const code = filesBelow(installed).filter((file) => /\.(js|d\.ts)$/.test(file));
    expect(code.length).toBeGreaterThan(3);
    for (const file of code) {
      expect(readFileSync(join(installed, file), "utf8"), file).not.toContain(
        "@agentsecretstore/protocol",
      );
    }
  });

  it.each(ENTRIES)("loads @agentsecretstore/client%s in a project of its own", (entry) => {
    const script = `const m = await import("@agentsecretstore/client${entry}"); console.log(JSON.stringify(Object.keys(m).sort()));`;
    const names = JSON.parse(
      run("node", ["--input-type=module", "-e", script], join(installed, "../../..")),
    ) as string[];
    expect(names.length).toBeGreaterThan(0);
    if (entry === "") expect(names).toEqual(expect.arrayContaining(["AgentVault", "SecretTier"]));
    if (entry === "/import") expect(names).toEqual(["importSecrets"]);
  });

  it("serves the bundled vocabulary: SecretTier and the error classes", () => {
    const script = `const { SecretTier, AgentVaultError } = await import("@agentsecretstore/client"); console.log(SecretTier.CRITICAL, typeof AgentVaultError);`;
    expect(run("node", ["--input-type=module", "-e", script], join(installed, "../../.."))).toBe(
      "critical function\n",
    );
  });
});
