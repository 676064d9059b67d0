import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentVault } from "@agentsecretstore/client";
import { startServer } from "@agentsecretstore/server";
import { describe, expect, it } from "vitest";
import { startOpenAIStub } from "../lib/openai-stub.js";
import {
  extractCodeBlocks,
  filesRunIn,
  pnpmScriptsIn,
  typeScriptPrograms,
  usesUndeclared,
} from "./readme-blocks.js";
import { repositoryRoot, runTypeScript } from "./run-example.js";

const readme = await readFile(join(repositoryRoot, "README.md"), "utf8");
const rootPackage = JSON.parse(await readFile(join(repositoryRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};
const blocks = extractCodeBlocks(readme);
const programs = typeScriptPrograms(blocks);
// Snippet files live under examples/ so that their imports resolve through its node_modules.
const snippetFolder = join(repositoryRoot, "examples", ".tmp");
const OPENAI_TEST_KEY = "fake-openai-key-readme-5e1f";

/**
 * What a snippet may use without declaring it, as the README's prose promises ("with a `vault`
 * client and a scoped `token`"). Only what a snippet uses and does not declare is added.
 */
function prelude(code: string): string {
  const lines = ['import { AgentVault as PreludeAgentVault } from "@agentsecretstore/client";'];
  const needsVault = usesUndeclared(code, "vault");
  if (needsVault) lines.push("const vault = new PreludeAgentVault();");
  if (usesUndeclared(code, "token")) {
    const issuer = needsVault ? "vault" : "new PreludeAgentVault()";
    lines.push(
      `const token = await ${issuer}.requestToken({ scope: "secrets:read:production/openai/*", ttlSeconds: 300, maxUses: 10 });`,
    );
  }
  return `${lines.join("\n")}\n// ---- README snippet ----\n`;
}

/** A fresh vault (temporary folder, free port) and OpenAI stub for one snippet. */
async function freshWorld() {
  const dataDir = await mkdtemp(join(tmpdir(), "ass-readme-vault-"));
  const workDir = await mkdtemp(join(tmpdir(), "ass-readme-cwd-"));
  const server = await startServer({
    port: 0,
    dataDir,
    logger: false,
    env: {},
    approvals: { criticalDelaySeconds: 1 },
  });
  const { adminKey, agentKey } = server.firstStart ?? { adminKey: "", agentKey: "" };
  // The OpenAI quick start reads this key from the vault and the stub accepts only it.
  const seeder = new AgentVault({ agentKey, baseUrl: server.baseUrl, env: {} });
  await seeder.setSecret("production/openai/api-key", OPENAI_TEST_KEY);
  await seeder.close();
  const openaiStub = await startOpenAIStub({ "vault key": OPENAI_TEST_KEY });
  return {
    workDir,
    openaiStub,
    env: {
      ASS_BASE_URL: server.baseUrl,
      ASS_AGENT_KEY: agentKey,
      ASS_ADMIN_KEY: adminKey,
      // openai reads it as the default baseURL: no snippet can reach the real API.
      OPENAI_BASE_URL: openaiStub.baseURL,
    },
    async close() {
      await openaiStub.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

describe("README.md", () => {
  it("has a TypeScript snippet for each quick start", () => {
    const headings = new Set(programs.map((program) => program.heading));
    for (const topic of ["server", "client", "LangChain", "OpenAI", "orchestrator"]) {
      expect(
        [...headings].some((heading) => heading.includes(topic)),
        topic,
      ).toBe(true);
    }
  });

  it("names only pnpm scripts that exist and files that exist in its shell blocks", () => {
    const shellBlocks = blocks.filter((block) => block.language === "sh");
    const scripts = shellBlocks.flatMap((block) => pnpmScriptsIn(block.code));
    const files = shellBlocks.flatMap((block) => filesRunIn(block.code));
    expect(scripts).toContain("demo");
    for (const script of scripts)
      expect(Object.keys(rootPackage.scripts), script).toContain(script);
    expect(files).toContain(".ci/run");
    for (const file of files) expect(existsSync(join(repositoryRoot, file)), file).toBe(true);
  });

  it("starts with the install-and-demo command and the CI command", () => {
    const first = blocks[0];
    expect(first?.language).toBe("sh");
    const commands = first?.code.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim());
    expect(commands).toEqual([
      "npm install -g pnpm@10.34.9 && pnpm install && pnpm demo",
      "bash .ci/run",
    ]);
  });
});

describe.concurrent("every README TypeScript snippet runs against a fresh vault", () => {
  for (const [index, program] of programs.entries()) {
    it(`snippet ${index + 1} (${program.heading}, README line ${program.line}) exits 0`, async ({
      expect,
    }) => {
      const world = await freshWorld();
      await mkdir(snippetFolder, { recursive: true });
      const file = join(snippetFolder, `readme-${index + 1}-${process.pid}.ts`);
      try {
        const source = `${prelude(program.code)}${program.code}\n`;
        await writeFile(file, source);
        const result = await runTypeScript(file, { cwd: world.workDir, env: world.env });
        const report = `--- snippet ---\n${source}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
        expect(result.code, report).toBe(0);
        // Whatever reached the OpenAI stub carried the key from the vault.
        const refused = world.openaiStub.exchanges.filter((exchange) => exchange.status !== 200);
        expect(refused, report).toEqual([]);
        if (program.code.includes("createOpenAI")) {
          expect(world.openaiStub.exchanges.length, report).toBeGreaterThan(0);
        }
      } finally {
        await rm(file, { force: true });
        await world.close();
      }
      // All snippets start at once, each a process loading tsx and its framework: on a busy
      // two-core machine one took more than the suite's 30 s.
    }, 120_000);
  }
});
