import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// What a user gets from the registry, not from the workspace: every public adapter package and
// the two it depends on are packed as `pnpm publish` packs them (workspace: versions replaced),
// installed with npm into an empty project together with the peers a user would add, and each
// is imported there by its npm name. The client's own packed test (core-client) checks its
// files and entry points in more detail; the CLI, the server and the MCP server are installed
// globally by the CLI's `test:install` (a native build of better-sqlite3 takes minutes).
// Needs the build (`pnpm build`, which CI runs first) and the npm registry for the peers.

const execute = promisify(execFile);
const repository = fileURLToPath(new URL("../..", import.meta.url));

/** folder → npm name, the names each entry must export, and the peers a user installs. */
const PACKAGES = [
  { folder: "core-client", name: "@agentsecretstore/client", exports: ["AgentVault"], peers: [] },
  {
    folder: "agent-tools",
    name: "@agentsecretstore/agent-tools",
    exports: ["createVaultToolset", "scopeCovers", "maskDeep"],
    peers: ["zod"],
  },
  {
    folder: "langchain-tools",
    name: "@agentsecretstore/langchain",
    exports: ["createVaultTools", "AgentVaultToolkit", "lazyChatModel"],
    peers: ["@langchain/core", "@langchain/langgraph", "langchain", "zod"],
  },
  {
    folder: "ai-sdk",
    name: "@agentsecretstore/ai-sdk",
    exports: ["createVaultTools", "redactTelemetry", "redactToolResults"],
    peers: ["ai", "zod"],
  },
  {
    folder: "openai-agents",
    name: "@agentsecretstore/openai-agents",
    exports: ["createVaultTools", "vaultOpenAIProvider", "vaultOutputGuardrail"],
    peers: ["@openai/agents", "zod"],
  },
  {
    folder: "openai-helpers",
    name: "@agentsecretstore/openai",
    exports: ["createOpenAI", "createAzureOpenAI", "openAIKeyProvider"],
    peers: ["openai"],
  },
] as const;

let scratch: string;
let project: string;

/** The version of `peer` the workspace resolved for the package in `folder` (the lockfile's). */
async function workspaceVersion(folder: string, peer: string): Promise<string> {
  const manifest = join(repository, "packages", folder, "node_modules", peer, "package.json");
  return JSON.parse(await readFile(manifest, "utf8")).version as string;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "ass-packed-"));
  project = join(scratch, "project");
  await mkdir(project);
  const dependencies: Record<string, string> = {};
  for (const entry of PACKAGES) {
    const folder = join(repository, "packages", entry.folder);
    await stat(join(folder, "dist", "index.js")).catch(() => {
      throw new Error(`packages/${entry.folder}/dist is missing: run \`pnpm build\` first`);
    });
    const { stdout } = await execute("pnpm", ["pack", "--pack-destination", scratch], {
      cwd: folder,
    });
    dependencies[entry.name] = `file:${stdout.trim().split("\n").at(-1)}`;
    for (const peer of entry.peers) {
      dependencies[peer] ??= await workspaceVersion(entry.folder, peer);
    }
  }
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module", dependencies }, null, 2),
  );
  await execute("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: project,
  });
}, 600_000);

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe("the packed public packages", () => {
  it.each(PACKAGES)(
    "$name installs without workspace: versions or a protocol import",
    async ({ name, folder }) => {
      const installed = join(project, "node_modules", name);
      const manifest = await readFile(join(installed, "package.json"), "utf8");
      expect(manifest).not.toContain("workspace:");
      // The private protocol package is bundled into each consumer at build time.
      expect(JSON.parse(manifest).dependencies ?? {}).not.toHaveProperty(
        "@agentsecretstore/protocol",
      );
      // What a registry page and provenance need, pointing at this package's own folder.
      const fields = JSON.parse(manifest);
      expect(fields.license).toBe("MIT");
      expect(fields.repository?.directory).toBe(`packages/${folder}`);
      expect(fields.homepage).toContain(`/packages/${folder}`);
      expect(fields.bugs?.url).toMatch(/^https:\/\//);
      expect(fields.publishConfig).toEqual({ access: "public", provenance: true });
      const code = await readFile(join(installed, "dist", "index.js"), "utf8");
      expect(code).not.toContain("@agentsecretstore/protocol");
      await stat(join(installed, "LICENSE"));
      await stat(join(installed, "README.md"));
    },
  );

  it.each(PACKAGES)("$name imports in a project of its own", async ({ name, exports }) => {
    const script = `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m)));`;
    const { stdout } = await execute("node", ["--input-type=module", "-e", script], {
      cwd: project,
    });
    expect(JSON.parse(stdout)).toEqual(expect.arrayContaining([...exports]));
  });
});
