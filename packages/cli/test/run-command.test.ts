import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;
let folder: string;
const node = process.execPath;
/** A child that prints the variables it got as JSON. */
const printEnv = (...names: string[]) => [
  node,
  "-e",
  `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null]))))`,
];

beforeAll(async () => {
  vault = await startCliVault();
  folder = await mkdtemp(join(tmpdir(), "ass-run-"));
  await vault.ass(["secrets", "set", "run/openai/api-key"], { stdin: "run-api-key-1" });
  await vault.ass(["secrets", "set", "run/openai/org/id"], { stdin: "run-org-id-1" });
  await vault.ass(["secrets", "set", "run/db/password"], { stdin: "run 'db' $pass" });
  await vault.ass(["secrets", "set", "run/gated", "--tier", "sensitive"], { stdin: "run-gated-1" });
});

afterAll(async () => {
  await vault.close();
  await rm(folder, { recursive: true, force: true });
});

const asAgent = () => ({ ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey });

describe("ass run", () => {
  it("puts a namespace's secrets in the command's environment, without the key that minted", async () => {
    const result = await vault.ass(
      [
        "run",
        "--path",
        "run/openai",
        "--",
        ...printEnv("API_KEY", "ORG_ID", "ASS_AGENT_KEY", "ASS_TOKEN"),
      ],
      { env: asAgent() },
    );
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    const seen = JSON.parse(result.stdout);
    expect(seen).toMatchObject({
      API_KEY: "run-api-key-1",
      ORG_ID: "run-org-id-1",
      ASS_AGENT_KEY: null,
    });
    expect(seen.ASS_TOKEN).toMatch(/^ast_tok_/);
    expect(result.stderr).toContain("API_KEY, ORG_ID");
    expect(result.stderr).not.toContain("run-api-key-1");

    // The run's token is revoked once the command ended.
    const after = await vault.ass(["tokens", "inspect"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_TOKEN: seen.ASS_TOKEN },
    });
    expect(after.code).toBe(ExitCode.UNAUTHORIZED);
  });

  it("names one secret with NAME=path and resolves ass:// references in a .env file and the environment", async () => {
    const envFile = join(folder, "app.env");
    await writeFile(envFile, "DATABASE_PASSWORD=ass://run/db/password\nPLAIN=kept-as-is\n");
    const result = await vault.ass(
      [
        "run",
        "--env-file",
        envFile,
        "--path",
        "OPENAI_API_KEY=run/openai/api-key",
        "--",
        ...printEnv("DATABASE_PASSWORD", "PLAIN", "OPENAI_API_KEY", "FROM_ENV"),
      ],
      { env: { ...asAgent(), FROM_ENV: "ass://run/openai/org/id" } },
    );
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect(JSON.parse(result.stdout)).toEqual({
      DATABASE_PASSWORD: "run 'db' $pass",
      PLAIN: "kept-as-is",
      OPENAI_API_KEY: "run-api-key-1",
      FROM_ENV: "run-org-id-1",
    });
  });

  it("passes the command's exit code through, and says when the command does not exist", async () => {
    const failed = await vault.ass(
      ["run", "--path", "run/openai", "--", node, "-e", "process.exit(7)"],
      { env: asAgent() },
    );
    expect(failed.code).toBe(7);
    expect(failed.stderr).not.toContain("ass: \n");
    const missing = await vault.ass(["run", "--path", "run/openai", "--", "no-such-command-here"], {
      env: asAgent(),
    });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain("command not found: no-such-command-here");
  });

  it("refuses two sources for one variable, and a run with nothing to fetch", async () => {
    const twice = await vault.ass(
      [
        "run",
        "--path",
        "KEY=run/openai/api-key",
        "--path",
        "KEY=run/db/password",
        "--",
        node,
        "-e",
        "",
      ],
      { env: asAgent() },
    );
    expect(twice.code).toBe(ExitCode.USAGE);
    expect(twice.stderr).toContain("KEY would come from both");
    const nothing = await vault.ass(["run", "--", node, "-e", ""], { env: asAgent() });
    expect(nothing.code).toBe(ExitCode.USAGE);
  });

  it("waits for a person to approve a sensitive secret, then runs", async () => {
    const running = vault.ass(["run", "--path", "GATED=run/gated", "--", ...printEnv("GATED")], {
      env: asAgent(),
    });
    let id: string | undefined;
    for (let attempt = 0; id === undefined && attempt < 100; attempt += 1) {
      const list = await vault.ass(["--json", "approvals", "list"]);
      const items = JSON.parse(list.stdout) as { id: string; description: string | null }[];
      id = items.find((item) => item.description === "ass run")?.id;
      if (id === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await vault.ass(["approvals", "approve", id!])).code).toBe(ExitCode.OK);
    const result = await running;
    expect(result.code, result.stderr).toBe(ExitCode.OK);
    expect(JSON.parse(result.stdout)).toEqual({ GATED: "run-gated-1" });
    expect(result.stderr).toContain("needs a person's approval");
    expect(result.stderr).toMatch(/approved/);
  });
});
