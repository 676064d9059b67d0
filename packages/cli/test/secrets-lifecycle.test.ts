import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { parseDotenv } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;
let folder: string;

beforeAll(async () => {
  vault = await startCliVault();
  folder = await mkdtemp(join(tmpdir(), "ass-lifecycle-"));
});

afterAll(async () => {
  await vault.close();
  await rm(folder, { recursive: true, force: true });
});

describe("ass secrets import", () => {
  it("reports new, updated and unchanged keys, and gives an unchanged key no new version", async () => {
    const first = await vault.ass(["--json", "secrets", "import", "imp/app"], {
      stdin: "A=one\nB=two\n",
    });
    expect(JSON.parse(first.stdout)).toMatchObject({ new: ["A", "B"], updated: [], unchanged: [] });

    const dry = await vault.ass(["secrets", "import", "imp/app", "--dry-run"], {
      stdin: "A=one\nB=2\nC=3\n",
    });
    expect(dry.stdout).toBe(
      "Would import below imp/app: 1 new (C); 1 updated (B); 1 unchanged (A).\n",
    );
    expect((await vault.ass(["secrets", "get", "imp/app/B"])).stdout).toBe("two\n");

    const second = await vault.ass(["--json", "secrets", "import", "imp/app"], {
      stdin: "A=one\nB=2\nC=3\n",
    });
    expect(JSON.parse(second.stdout)).toMatchObject({
      new: ["C"],
      updated: ["B"],
      unchanged: ["A"],
    });
    const versionOf = async (path: string) =>
      (
        JSON.parse((await vault.ass(["--json", "secrets", "get", path, "--metadata"])).stdout) as {
          version: number;
        }
      ).version;
    expect(await versionOf("imp/app/A")).toBe(1);
    expect(await versionOf("imp/app/B")).toBe(2);
  });

  it("takes the hosted CLI's env import --namespace form", async () => {
    const file = join(folder, "hosted.env");
    await writeFile(file, "HOSTED=value-h\n");
    const result = await vault.ass(["env", "import", file, "--namespace", "imp/hosted"]);
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect((await vault.ass(["secrets", "get", "imp/hosted/HOSTED"])).stdout).toBe("value-h\n");
  });
});

describe("ass secrets export", () => {
  it("prints .env lines that a shell and ass secrets import both read back unchanged", async () => {
    const tricky = 'it\'s "quoted"\nsecond line';
    await vault.ass(["secrets", "set", "exp/app/plain-key"], { stdin: "plain-value" });
    await vault.ass(["secrets", "set", "exp/app/db/password"], { stdin: "with space $HOME" });
    await vault.ass(["secrets", "set", "exp/app/multi"], { stdin: tricky });
    const exported = await vault.ass(["secrets", "export", "exp/app"]);
    expect(exported.code, exported.stderr).toBe(ExitCode.OK);
    expect(exported.stdout).toContain("PLAIN_KEY=plain-value\n");
    expect(exported.stdout).toContain("DB_PASSWORD='with space $HOME'\n");

    // Round trip through import into another namespace.
    await vault.ass(["secrets", "import", "exp/copy"], { stdin: exported.stdout });
    expect((await vault.ass(["secrets", "get", "exp/copy/MULTI"])).stdout).toBe(`${tricky}\n`);
    expect((await vault.ass(["secrets", "get", "exp/copy/DB_PASSWORD"])).stdout).toBe(
      "with space $HOME\n",
    );

    const json = await vault.ass(["secrets", "export", "exp/app", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      DB_PASSWORD: "with space $HOME",
      MULTI: tricky,
      PLAIN_KEY: "plain-value",
    });
  });

  it("writes a file only its owner can read with env export -o", async () => {
    const file = join(folder, "exported.env");
    const result = await vault.ass(["env", "export", "exp/app", "-o", file]);
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect(result.stdout).toBe("");
    expect(parseDotenv(await readFile(file, "utf8")).PLAIN_KEY).toBe("plain-value");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe("ass secrets versions and rollback", () => {
  it("lists versions with their retirement and brings an earlier value back as a new version", async () => {
    await vault.ass(["secrets", "set", "ver/key"], { stdin: "version-one" });
    await vault.ass(["secrets", "rotate", "ver/key", "--grace-period", "600"], {
      stdin: "version-two",
    });
    const versions = await vault.ass(["secrets", "versions", "ver/key"]);
    expect(versions.code).toBe(ExitCode.OK);
    expect(versions.stdout).toMatch(/^VERSION\s+STATE\s+CREATED\s+RETIRED\n2\s+current/);
    expect(versions.stdout).toMatch(/\n1\s+retiring\s+\S+\s+20\d\d-/);

    const refused = await vault.ass(["secrets", "rollback", "ver/key"]);
    expect(refused.code).toBe(ExitCode.USAGE);
    expect(refused.stderr).toContain("--yes");

    const rolled = await vault.ass(["secrets", "rollback", "ver/key", "--to", "1", "--yes"]);
    expect(rolled.code, rolled.stderr).toBe(ExitCode.OK);
    expect(rolled.stdout).toBe("Rolled ver/key back: version 3 now holds version 1's value.\n");
    expect((await vault.ass(["secrets", "get", "ver/key"])).stdout).toBe("version-one\n");
    const missing = await vault.ass(["secrets", "rollback", "ver/key", "--to", "9", "--yes"]);
    expect(missing.code).toBe(ExitCode.NOT_FOUND);
  });
});

describe("the hosted CLI's forms", () => {
  it("takes a value as an argument but warns that it lands in shell history", async () => {
    const result = await vault.ass([
      "secrets",
      "set",
      "hosted/arg",
      "arg-value-1",
      "-t",
      "api_key",
      "--tier",
      "standard",
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect(result.stderr).toContain("shell history");
    expect(result.stdout + result.stderr).not.toContain("arg-value-1");
    expect((await vault.ass(["secrets", "get", "-n", "hosted", "-k", "arg"])).stdout).toBe(
      "arg-value-1\n",
    );
    expect((await vault.ass(["secrets", "rm", "hosted/arg", "-f"])).code).toBe(ExitCode.OK);
  });

  it("issues a token with -s comma-separated scopes, and lists tokens as a tree", async () => {
    const asAgent = { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey };
    const issued = await vault.ass(
      ["tokens", "issue", "-s", "secrets:read:tree/*,secrets:write:tree/*", "--ttl", "600"],
      {
        env: asAgent,
      },
    );
    expect(issued.code, issued.stderr).toBe(ExitCode.OK);
    const parent = parseDotenv(issued.stdout).ASS_TOKEN!;
    const child = await vault.ass(["tokens", "request", "--scope", "secrets:read:tree/a"], {
      env: { ...asAgent, ASS_TOKEN: parent },
    });
    expect(child.code, child.stderr).toBe(ExitCode.OK);
    const list = await vault.ass(["tokens", "list"], { env: asAgent });
    expect(list.code).toBe(ExitCode.OK);
    const lines = list.stdout.split("\n");
    const parentLine = lines.findIndex((line) =>
      line.includes("secrets:read:tree/*,secrets:write:tree/*"),
    );
    expect(parentLine).toBeGreaterThan(0);
    expect(lines[parentLine]).toContain("(default-agent)");
    expect(lines[parentLine + 1]).toMatch(/^└─ tok_\S+\s+secrets:read:tree\/a\s/);
    expect(list.stdout).not.toContain(parent);
  });
});
