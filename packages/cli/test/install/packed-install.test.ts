import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually, parseDotenv } from "../capture-io.js";

// The packed CLI as a person gets it: packed from its build with pnpm (workspace: versions
// rewritten), installed with `npm install -g` into a scratch prefix, run as `ass` from that
// prefix's bin. Needs `pnpm build` first (CI builds before the tests).
const execute = promisify(execFile);
const repository = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
// The CLI and every workspace package it depends on at run time (the protocol is bundled in).
const PACKAGES = ["core-client", "agent-tools", "mcp-server", "server", "cli"] as const;
let scratch: string;
let bin: string;

/** Runs one step, saying on stderr how long it took (minutes on a busy machine). */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work().catch((error: Error & { stderr?: string }) => {
    // execFile's error names the command only; what went wrong is on its stderr.
    throw new Error(`${name} failed: ${error.message}\n${error.stderr ?? ""}`);
  });
  process.stderr.write(
    `install test: ${name} took ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  return result;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "ass-install-"));
  for (const folder of PACKAGES) {
    await stat(join(repository, "packages", folder, "dist", "index.js")).catch(() => {
      throw new Error(`packages/${folder}/dist is missing: run \`pnpm build\` first`);
    });
  }
  const tarballs: string[] = [];
  for (const folder of PACKAGES) {
    const { stdout } = await execute("pnpm", ["pack", "--pack-destination", scratch], {
      cwd: join(repository, "packages", folder),
    });
    tarballs.push(stdout.trim().split("\n").at(-1)!);
  }
  const prebuilds = await localBetterSqlitePrebuild(join(scratch, "prebuilds"));
  await step("npm install -g", () =>
    execute(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        join(scratch, "prefix"),
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        ...tarballs,
      ],
      { cwd: scratch, env: { ...process.env, ...prebuilds } },
    ),
  );
  bin = join(scratch, "prefix", "bin", "ass");
}, 2_400_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * better-sqlite3's install script (prebuild-install) downloads a prebuilt binary from GitHub,
 * which these machines cannot reach, and then compiles it from source (four minutes on two
 * cores). What a person with network gets is that prebuilt binary: the test gives the install
 * the one the workspace already built for this Node and platform, as the "local prebuild"
 * prebuild-install looks for first (`npm_config_better_sqlite3_local_prebuilds`). The install
 * still runs the package's own install script; only the download is replaced.
 */
async function localBetterSqlitePrebuild(folder: string): Promise<Record<string, string>> {
  const fromServer = createRequire(join(repository, "packages", "server", "package.json"));
  const packageJson = fromServer.resolve("better-sqlite3/package.json");
  const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };
  const root = dirname(packageJson);
  await stat(join(root, "build", "Release", "better_sqlite3.node"));
  await mkdir(folder, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await execute("tar", [
    "-czf",
    join(folder, name),
    "-C",
    root,
    "build/Release/better_sqlite3.node",
  ]);
  return { npm_config_better_sqlite3_local_prebuilds: folder };
}

/** Runs the installed `ass` with only PATH and `env` set; resolves with code and output. */
function ass(argv: string[], env: Record<string, string> = {}, stdin = "") {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(bin, argv, { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

it("packs without workspace: versions, and installs every @agentsecretstore package it needs", async () => {
  const installed = join(scratch, "prefix", "lib", "node_modules", "@agentsecretstore");
  for (const name of ["cli", "server", "client", "mcp", "agent-tools"]) {
    const manifest = JSON.parse(await readFile(join(installed, name, "package.json"), "utf8"));
    expect(JSON.stringify(manifest)).not.toContain("workspace:");
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (!dependency.startsWith("@agentsecretstore/")) continue;
      // Found beside it in the global prefix, not fetched from the registry.
      await readFile(join(installed, dependency.split("/")[1]!, "package.json"), "utf8");
    }
  }
});

it("prints its version and completion scripts", async () => {
  const version = await ass(["--version"]);
  expect(version.code).toBe(0);
  const manifest = JSON.parse(
    await readFile(join(repository, "packages/cli/package.json"), "utf8"),
  );
  expect(version.stdout).toBe(`${manifest.version}\n`);
  expect((await ass(["completion", "bash"])).stdout).toContain(
    "complete -o default -F _ass_complete ass",
  );
}, 120_000);

it("runs the server, is stopped by the PID the shell gets, and serves the other commands", async () => {
  const dataDir = join(scratch, "data");
  const server = spawn(bin, ["server", "--port", "0", "--data-dir", dataDir], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  server.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));
  const env = await eventually(() => {
    const lines = parseDotenv(stdout);
    return lines.ASS_AGENT_KEY ? lines : undefined;
  }, 60_000);
  try {
    const set = await ass(["secrets", "set", "installed/key"], env, "installed-value-1\n");
    expect(set.code, set.stderr).toBe(0);
    expect((await ass(["secrets", "get", "installed/key"], env)).stdout).toBe(
      "installed-value-1\n",
    );
    const whoami = await ass(["--json", "whoami"], env);
    expect(JSON.parse(whoami.stdout).kind).toBe("agent");
  } finally {
    // What `kill $!` does after `ass server &`: the PID is the server's own process.
    server.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
}, 120_000);
