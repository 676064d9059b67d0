import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HOSTED_CLI_BIN,
  type HostedVault,
  type PromptAnswer,
  runNode,
  startHostedVault,
} from "./hosted-vault.js";

// The hosted product's CLI 1.0 (`@agentsecretstore/cli`, installed as hosted-cli), unchanged, as
// a process: every command it offers but `open` (which only starts a browser on the hosted
// dashboard and calls no API). Secrets, env and tokens run with ASS_AGENT_KEY as its README
// says; the admin commands (agents, approvals, audit) need an admin key, in ASS_API_KEY, the
// variable its code reads first.

const VALUE = "fixture-hosted-cli-value-7a21";
const ENV_VALUE = "fixture-hosted-cli-env-3f90";
const RESET = "\r";

let vault: HostedVault;
let home: string;

beforeAll(async () => {
  vault = await startHostedVault();
  home = await mkdtemp(join(tmpdir(), "ass-hosted-cli-"));
});

afterAll(async () => {
  await vault?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The CLI's environment: its config under a fresh HOME, our server, and the given key. */
function cliEnv(key: { agent?: string; admin?: string } = {}): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    ASS_API_URL: vault.apiUrl,
    ...(key.agent === undefined ? {} : { ASS_AGENT_KEY: key.agent }),
    ...(key.admin === undefined ? {} : { ASS_API_KEY: key.admin }),
  };
}

function asAgent(args: string[], answers?: PromptAnswer[]) {
  return runNode(HOSTED_CLI_BIN, args, cliEnv({ agent: vault.agentKey }), {
    ...(answers === undefined ? {} : { answers }),
    cwd: home,
  });
}

function asAdmin(args: string[], answers?: PromptAnswer[]) {
  return runNode(HOSTED_CLI_BIN, args, cliEnv({ admin: vault.adminKey }), {
    ...(answers === undefined ? {} : { answers }),
    cwd: home,
  });
}

/** Parses the JSON the CLI prints after its spinner lines (which go to stderr, or before). */
function jsonOut(stdout: string): Record<string, unknown> {
  const start = stdout.indexOf("{");
  return JSON.parse(stdout.slice(start)) as Record<string, unknown>;
}

async function secretValue(path: string): Promise<unknown> {
  return (await vault.api("GET", `/v1/secrets/${path}`, vault.adminKey)).body.value;
}

describe("the hosted CLI 1.0: secrets", () => {
  it("secrets set stores a value with its type and tier", async () => {
    const set = await asAgent([
      "secrets",
      "set",
      "production/db/PASSWORD",
      VALUE,
      "-t",
      "db_credential",
      "--tier",
      "standard",
    ]);
    expect(set.code, set.stderr + set.stdout).toBe(0);
    expect(set.stdout).toContain("Secret stored at");
    const metadata = await vault.api("GET", "/v1/metadata/production/db/PASSWORD", vault.adminKey);
    expect(metadata.body).toMatchObject({ secret_type: "db_credential", tier: "standard" });
    expect(await secretValue("production/db/PASSWORD")).toBe(VALUE);
  });

  it("secrets set prompts for a value, a type and a tier when not given", async () => {
    const set = await asAgent(
      ["secrets", "set", "production/db/USER"],
      [
        { prompt: "Value for", keys: `${ENV_VALUE}${RESET}` },
        { prompt: "Secret type", keys: RESET },
        { prompt: "Access tier", keys: RESET },
      ],
    );
    expect(set.code, set.stderr + set.stdout).toBe(0);
    expect(await secretValue("production/db/USER")).toBe(ENV_VALUE);
    expect(set.stdout + set.stderr).not.toContain(ENV_VALUE);
  });

  it("secrets list shows the namespace's keys, never values", async () => {
    const listed = await asAgent(["secrets", "list", "production/db", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const body = jsonOut(listed.stdout) as { items: { key: string }[] };
    expect(body.items.map((item) => item.key)).toEqual(["PASSWORD", "USER"]);
    const human = await asAgent(["secrets", "list", "production/db"]);
    expect(human.stdout).toContain("production/db/PASSWORD");
    expect(human.stdout + listed.stdout).not.toContain(VALUE);
  });

  it("secrets get prints the value, with -n/-k and as JSON", async () => {
    const piped = await asAgent(["secrets", "get", "production/db/PASSWORD"]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout.endsWith(VALUE)).toBe(true);
    const byFlags = await asAgent(["secrets", "get", "x", "-n", "production/db", "-k", "PASSWORD"]);
    expect(byFlags.stdout.endsWith(VALUE)).toBe(true);
    const json = await asAgent(["secrets", "get", "production/db/PASSWORD", "--json"]);
    expect(jsonOut(json.stdout)).toMatchObject({ value: VALUE, version: 1 });
  });

  it("secrets rotate (no body) gives the secret a new, generated version", async () => {
    const rotated = await asAgent(["secrets", "rotate", "production/db/PASSWORD", "-f"]);
    expect(rotated.code, rotated.stderr + rotated.stdout).toBe(0);
    expect(rotated.stdout).toContain("Secret rotated");
    const metadata = await vault.api("GET", "/v1/metadata/production/db/PASSWORD", vault.adminKey);
    expect(metadata.body).toMatchObject({ version: 2 });
    const value = await secretValue("production/db/PASSWORD");
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.stdout + rotated.stderr).not.toContain(String(value));
  });

  it("secrets delete (no body) removes the secret", async () => {
    const deleted = await asAgent(["secrets", "delete", "production/db/USER", "-f"]);
    expect(deleted.code, deleted.stderr + deleted.stdout).toBe(0);
    expect(deleted.stdout).toContain("Secret deleted");
    expect((await vault.api("GET", "/v1/secrets/production/db/USER", vault.adminKey)).status).toBe(
      404,
    );
  });

  it("a failure shows our message", async () => {
    const missing = await asAgent(["secrets", "get", "production/db/NOPE"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toContain("No secret at production/db/NOPE");
  });
});

describe("the hosted CLI 1.0: env, init", () => {
  it("env import -n writes every key and lists them", async () => {
    await writeFile(join(home, ".env"), `API_URL=https://example.test\nAPI_TOKEN="${ENV_VALUE}"\n`);
    const dry = await asAgent(["env", "import", ".env", "-n", "staging/app", "--dry-run"]);
    expect(dry.stdout).toContain("Dry run");
    expect((await vault.api("GET", "/v1/secrets/staging/app/API_URL", vault.adminKey)).status).toBe(
      404,
    );
    const imported = await asAgent(["env", "import", ".env", "-n", "staging/app"]);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(imported.stdout).toContain("staging/app/API_TOKEN");
    expect(await secretValue("staging/app/API_TOKEN")).toBe(ENV_VALUE);
    expect(imported.stdout + imported.stderr).not.toContain(ENV_VALUE);
  });

  it("init writes .assrc, and env import then uses its namespace", async () => {
    const init = await asAgent(["init", "-n", "staging/init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(home, ".assrc"), "utf8"))).toMatchObject({
      namespace: "staging/init",
    });
    const imported = await asAgent(["env", "import"]);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    expect(await secretValue("staging/init/API_TOKEN")).toBe(ENV_VALUE);
  });

  it("env export writes the namespace as a .env file", async () => {
    const exported = await asAgent(["env", "export", "staging/app", "-o", "out.env"]);
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(join(home, "out.env"), "utf8");
    expect(text).toContain(`API_TOKEN=${ENV_VALUE}`);
    expect(text).toContain("API_URL=https://example.test");
    const toStdout = await asAgent(["env", "export", "staging/app"]);
    expect(toStdout.stdout).toContain(`API_TOKEN=${ENV_VALUE}`);
  });
});

describe("the hosted CLI 1.0: tokens", () => {
  it("tokens issue with its scope names and a ttl in seconds", async () => {
    const issued = await asAgent(["tokens", "issue", "-s", "read:secrets", "--ttl", "900"]);
    expect(issued.code, issued.stderr + issued.stdout).toBe(0);
    const token = /ast_tok_[A-Za-z0-9_-]+/.exec(issued.stdout)?.[0] ?? "";
    expect(issued.stdout).toContain("secrets:read:*");
    const self = await vault.api("GET", "/v1/tokens/self", token);
    expect(self.body).toMatchObject({ scopes: ["secrets:read:*"], ttl_seconds: 900 });
  });

  it("tokens issue with its 7-day lifetime says that tokens live at most a day here", async () => {
    const refused = await asAgent(["tokens", "issue", "-s", "read:secrets", "--ttl", "604800"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("must be at most 86400 seconds (1 day)");
  });

  it("tokens issue asks for scopes and a lifetime when not given", async () => {
    const issued = await asAgent(
      ["tokens", "issue"],
      [
        { prompt: "Scopes", keys: `secrets:read:staging/*${RESET}` },
        { prompt: "Token lifetime", keys: RESET },
      ],
    );
    expect(issued.code, issued.stderr + issued.stdout).toBe(0);
    const token = /ast_tok_[A-Za-z0-9_-]+/.exec(issued.stdout)?.[0] ?? "";
    const read = await vault.api("GET", "/v1/secrets/staging/app/API_TOKEN", token);
    expect(read.body).toMatchObject({ value: ENV_VALUE });
    expect((await vault.api("GET", "/v1/secrets/production/db/PASSWORD", token)).status).toBe(403);
  });
});

describe("the hosted CLI 1.0: agents, approvals, audit (admin key)", () => {
  let agentId = "";

  it("agents create registers an agent limited to its namespaces", async () => {
    const created = await asAdmin(
      ["agents", "create"],
      [
        { prompt: "Agent name", keys: `ci-agent${RESET}` },
        { prompt: "Description", keys: `made by the compatibility test${RESET}` },
        { prompt: "Allowed namespaces", keys: `staging,production/db${RESET}` },
        { prompt: "Allowed scopes", keys: RESET },
      ],
    );
    expect(created.code, created.stderr + created.stdout).toBe(0);
    agentId = /agt_[0-9a-f]+/.exec(created.stdout)?.[0] ?? "";
    const key = /ass_live_[A-Za-z0-9_-]+/.exec(created.stdout)?.[0] ?? "";
    const me = await vault.api("GET", "/v1/me", key);
    expect(me.body).toMatchObject({
      id: agentId,
      name: "ci-agent",
      scopes: ["secrets:read:staging/*", "secrets:read:production/db/*"],
    });
    expect((await vault.api("GET", "/v1/secrets/staging/app/API_TOKEN", key)).status).toBe(200);
    expect((await vault.api("PUT", "/v1/secrets/staging/x", key, { value: "v" })).status).toBe(403);
  });

  it("agents list shows them as active", async () => {
    const listed = await asAdmin(["agents", "ls"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("ci-agent");
    expect(listed.stdout).toContain("ass_live_…");
    expect(listed.stdout).toContain("active");
    expect(listed.stdout).not.toContain("revoked");
  });

  it("approvals list, approve and deny (no body, then a reason)", async () => {
    await vault.api("PUT", "/v1/secrets/production/db/ROOT", vault.adminKey, {
      value: VALUE,
      tier: "sensitive",
    });
    const ask = async (path: string) => {
      const pending = await vault.api("GET", `/v1/secrets/${path}`, vault.agentKey);
      expect(pending.status).toBe(202);
      return (pending.body.error as { approval_request_id: string }).approval_request_id;
    };
    const first = await ask("production/db/ROOT");
    const listed = await asAdmin(["approvals", "ls", "-s", "pending"]);
    expect(listed.code, listed.stderr + listed.stdout).toBe(0);
    expect(listed.stdout).toContain(first.slice(0, 11));
    expect(listed.stdout).toContain("pending");
    const json = jsonOut((await asAdmin(["approvals", "list", "--json"])).stdout) as {
      items: { id: string; agent_id: string; access_tier: string }[];
    };
    expect(json.items.find((item) => item.id === first)).toMatchObject({
      access_tier: "sensitive",
    });

    const approved = await asAdmin(["approvals", "approve", first, "-f"]);
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect((await vault.api("GET", `/v1/approvals/${first}`, vault.adminKey)).body).toMatchObject({
      status: "approved",
    });
    expect(
      (await vault.api("GET", "/v1/secrets/production/db/ROOT", vault.agentKey)).body,
    ).toMatchObject({ value: VALUE });

    await vault.api("PUT", "/v1/secrets/production/db/ROOT2", vault.adminKey, {
      value: VALUE,
      tier: "sensitive",
    });
    const second = await ask("production/db/ROOT2");
    const denied = await asAdmin(["approvals", "deny", second, "-r", "not for CI", "-f"]);
    expect(denied.code, denied.stderr + denied.stdout).toBe(0);
    expect((await vault.api("GET", `/v1/approvals/${second}`, vault.adminKey)).body).toMatchObject({
      status: "denied",
      decision_comment: "not for CI",
    });
  });

  it("agents revoke (a DELETE with no body) removes the agent", async () => {
    const revoked = await asAdmin(["agents", "revoke", agentId, "-f"]);
    expect(revoked.code, revoked.stderr + revoked.stdout).toBe(0);
    const agents = await vault.api("GET", "/v1/agents", vault.adminKey);
    expect(JSON.stringify(agents.body)).not.toContain(agentId);
  });

  it("audit shows the newest events first, with their types and resources", async () => {
    const audited = await asAdmin(["audit", "-l", "5", "--json"]);
    expect(audited.code, audited.stderr + audited.stdout).toBe(0);
    const page = jsonOut(audited.stdout) as {
      events: { event_type: string; created_at: string; resource_type: string }[];
      total: number;
      page: number;
    };
    expect(page.events).toHaveLength(5);
    expect(page.page).toBe(1);
    expect(page.total).toBeGreaterThan(5);
    expect(page.events[0]?.event_type).toBe("agent.deleted");
    const times = page.events.map((event) => event.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    const human = await asAdmin(["audit", "-l", "3"]);
    expect(human.stdout).toContain("agent.deleted");
    expect(human.stdout + audited.stdout).not.toContain(VALUE);
  });

  it("audit --tail prints new events as they happen", async () => {
    const child = spawn(process.execPath, [HOSTED_CLI_BIN, "audit", "--tail"], {
      env: { PATH: process.env.PATH ?? "", ...cliEnv({ admin: vault.adminKey }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`no "${text}" in: ${stdout}`)), 20_000);
        const check = setInterval(() => {
          if (stdout.includes(text)) {
            clearInterval(check);
            clearTimeout(deadline);
            resolve();
          }
        }, 100);
      });
    try {
      await seen("Watching for new events");
      await vault.api("DELETE", "/v1/secrets/production/db/ROOT2", vault.adminKey);
      await seen("secret.deleted");
    } finally {
      const exited = once(child, "exit");
      child.kill("SIGINT");
      await exited;
    }
    expect(stdout).toContain("Stopped.");
  });
});

describe("the hosted CLI 1.0: login, whoami, status, logout", () => {
  it("login --key stores the key; whoami and other commands then use it", async () => {
    const env = cliEnv();
    const login = await runNode(HOSTED_CLI_BIN, ["login", "--key", vault.adminKey], env);
    expect(login.code, login.stderr + login.stdout).toBe(0);
    expect(login.stdout).toContain("Logged in");
    const whoami = await runNode(HOSTED_CLI_BIN, ["whoami", "--json"], env);
    expect(jsonOut(whoami.stdout)).toMatchObject({ kind: "admin", name: "operator" });
    const human = await runNode(HOSTED_CLI_BIN, ["whoami"], env);
    expect(human.stdout).toContain("operator");
    const listed = await runNode(HOSTED_CLI_BIN, ["agents", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
  });

  it("login prompts for the key when not given one", async () => {
    const login = await runNode(HOSTED_CLI_BIN, ["login"], cliEnv(), {
      answers: [{ prompt: "Paste your API key", keys: `${vault.adminKey}${RESET}` }],
    });
    expect(login.code, login.stderr + login.stdout).toBe(0);
    expect(login.stdout).toContain("API key validated");
  });

  it("status reports the server up, with its version", async () => {
    const { version } = JSON.parse(
      await readFile(join(import.meta.dirname, "../../package.json"), "utf8"),
    ) as { version: string };
    const status = await runNode(HOSTED_CLI_BIN, ["status", "--json"], cliEnv());
    expect(status.code, status.stderr).toBe(0);
    expect(jsonOut(status.stdout)).toMatchObject({
      api: { url: vault.apiUrl, status: "ok", version, error: null },
      auth: { logged_in: true },
    });
    const human = await runNode(HOSTED_CLI_BIN, ["status"], cliEnv());
    expect(human.stdout).toContain("Operational");
    expect(human.stdout).toMatch(new RegExp(`version\\s+${version.replaceAll(".", "\\.")}`));
  });

  it("logout forgets the key", async () => {
    const logout = await runNode(HOSTED_CLI_BIN, ["logout", "-f"], cliEnv());
    expect(logout.code, logout.stderr).toBe(0);
    const status = await runNode(HOSTED_CLI_BIN, ["status", "--json"], cliEnv());
    expect(jsonOut(status.stdout)).toMatchObject({ auth: { logged_in: false } });
    const whoami = await runNode(HOSTED_CLI_BIN, ["whoami"], cliEnv());
    expect(whoami.code).toBe(1);
    expect(whoami.stdout + whoami.stderr).toContain("Not authenticated");
  });

  it("left no value in the server's logs", () => {
    const logs = vault.logs.join("\n");
    expect(logs).toContain("request completed");
    for (const value of [VALUE, ENV_VALUE]) expect(logs).not.toContain(value);
  });
});
