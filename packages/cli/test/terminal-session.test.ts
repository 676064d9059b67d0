import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCliVault } from "./cli-vault.js";

// `ass` in a real terminal: a tmux pane of a fixed size, keys typed with send-keys, the screen
// read back with capture-pane (-e keeps the colour escapes).
const execute = promisify(execFile);
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const ESCAPE = "\u001b[";
let vault: Awaited<ReturnType<typeof startCliVault>>;
const sessions: string[] = [];

beforeAll(async () => {
  vault = await startCliVault();
  for (const name of ["alpha", "beta"]) {
    await vault.ass(
      [
        "secrets",
        "set",
        `tty/${name}`,
        "--description",
        `a long description of ${name} `.repeat(4),
      ],
      { stdin: `tty-${name}-value` },
    );
  }
});

afterEach(async () => {
  for (const session of sessions.splice(0)) {
    await execute("tmux", ["kill-session", "-t", session]).catch(() => undefined);
  }
});

afterAll(async () => {
  await vault.close();
});

/** Starts `ass <args>` in a new tmux pane `width` columns wide; the pane stays after it exits. */
async function terminal(
  args: string,
  options: { width?: number; env?: Record<string, string> } = {},
) {
  const session = `ass-test-${randomUUID().slice(0, 8)}`;
  sessions.push(session);
  const env = { ...vault.env, ...options.env };
  const exports = Object.entries(env)
    .map(([name, value]) => `export ${name}='${value}';`)
    .join(" ");
  const command = `cd '${packageDir}'; ${exports} node --conditions=source --import tsx src/bin.ts ${args}; echo "[exit $?]"; sleep 600`;
  await execute("tmux", [
    "new-session",
    "-d",
    "-s",
    session,
    "-x",
    String(options.width ?? 80),
    "-y",
    "30",
    "bash",
    "--norc",
    "--noprofile",
    "-c",
    command,
  ]);
  const screen = async (colours = false) =>
    (await execute("tmux", ["capture-pane", "-p", "-J", ...(colours ? ["-e"] : []), "-t", session]))
      .stdout;
  return {
    screen,
    /** Polls the screen until `text` shows up (the CLI starts from source: seconds). */
    async waitFor(text: string, colours = false): Promise<string> {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const shown = await screen(colours);
        if (shown.includes(text)) return shown;
        if (Date.now() > deadline) throw new Error(`"${text}" never showed; screen:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    type: (keys: string) => execute("tmux", ["send-keys", "-t", session, "-l", keys]),
    enter: () => execute("tmux", ["send-keys", "-t", session, "Enter"]),
  };
}

describe("ass at a terminal", () => {
  it("shows an approver exactly what is stored: a description cannot redraw the screen", async () => {
    // An agent's description that, printed raw, would erase the scopes line above it and draw a
    // harmless-looking one instead. The server refuses it today ...
    const attack = "\r\u001b[1A\u001b[2Kscopes:       secrets:read:staging/cache/*";
    await vault.ass(["secrets", "set", "screen/prod-db", "--tier", "sensitive"], {
      stdin: "tty-db",
    });
    const agentEnv = { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey };
    const refused = await vault.ass(
      ["tokens", "request", "--scope", "secrets:read:screen/*", "--description", attack, "--json"],
      { env: agentEnv },
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("U+000D");
    // ... so it is planted in the database, as one stored before that rule would be.
    const requested = await vault.ass(
      [
        "tokens",
        "request",
        "--scope",
        "secrets:read:screen/*",
        "--description",
        "nightly",
        "--json",
      ],
      { env: agentEnv },
    );
    const approvalId = JSON.parse(requested.stdout).approvalRequestId as string;
    expect(approvalId).toMatch(/^apr_/);
    const database = new Database(vault.databaseFile);
    database.prepare("update approvals set description = ? where id = ?").run(attack, approvalId);
    database.close();

    const pane = await terminal(`approvals show ${approvalId}`, { width: 100 });
    const shown = await pane.waitFor("[exit 0]");
    const lines = shown.split("\n");
    expect(lines.find((line) => line.startsWith("scopes:"))).toContain("secrets:read:screen/*");
    expect(lines.filter((line) => line.includes("staging/cache"))).toEqual([
      expect.stringMatching(/^description: .*\\u\{000D\}\\u\{001B\}\[1A\\u\{001B\}\[2Kscopes:/),
    ]);
  }, 180_000);

  it("fits a table to the terminal's width, with relative times and a coloured header", async () => {
    const pane = await terminal("secrets list tty", { width: 70 });
    const plain = await pane.waitFor("[exit 0]");
    const rows = plain
      .split("\n")
      .filter((line) => line.startsWith("tty/") || line.startsWith("PATH"));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.trimEnd().length).toBeLessThanOrEqual(70);
    expect(plain).toContain("…");
    expect(plain).toMatch(/ ago|now/);
    expect(await pane.screen(true)).toContain(`${ESCAPE}1mPATH`);
  }, 180_000);

  it("has no colour with NO_COLOR or --no-color", async () => {
    for (const [args, env] of [
      ["secrets list tty", { NO_COLOR: "1" }],
      ["--no-color secrets list tty", {}],
    ] as const) {
      const pane = await terminal(args, { env });
      const coloured = await pane.waitFor("[exit 0]", true);
      expect(coloured).toContain("tty/alpha");
      expect(coloured).not.toContain(ESCAPE);
    }
  }, 240_000);

  it("asks before deleting, and deletes only on yes", async () => {
    await vault.ass(["secrets", "set", "tty/doomed"], { stdin: "doomed" });
    const declined = await terminal("secrets delete tty/doomed");
    await declined.waitFor("[y/N]");
    await declined.type("n");
    await declined.enter();
    expect(await declined.waitFor("[exit 1]")).toContain("cancelled; nothing was changed");
    expect((await vault.ass(["secrets", "get", "tty/doomed"])).stdout).toBe("doomed\n");

    const accepted = await terminal("secrets delete tty/doomed");
    await accepted.waitFor("[y/N]");
    await accepted.type("y");
    await accepted.enter();
    expect(await accepted.waitFor("[exit 0]")).toContain("Deleted tty/doomed");
  }, 240_000);

  it("reads a value at a hidden prompt without showing it", async () => {
    const pane = await terminal("secrets set tty/typed");
    await pane.waitFor("(hidden)");
    await pane.type("typed-at-the-prompt");
    await pane.enter();
    const shown = await pane.waitFor("[exit 0]");
    expect(shown).toContain("Stored tty/typed version 1");
    expect(shown).not.toContain("typed-at-the-prompt");
    expect((await vault.ass(["secrets", "get", "tty/typed"])).stdout).toBe("typed-at-the-prompt\n");
  }, 180_000);
});
