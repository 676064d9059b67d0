import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { parseDotenv } from "./capture-io.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;
let token: string;

beforeAll(async () => {
  vault = await startCliVault();
  const minted = await vault.ass(["tokens", "request", "--scope", "secrets:read:who/*"], {
    env: { ASS_ADMIN_KEY: undefined, ASS_AGENT_KEY: vault.keys.agentKey },
  });
  token = parseDotenv(minted.stdout).ASS_TOKEN!;
  expect(token).toMatch(/^ast_tok_/);
});

afterAll(async () => {
  await vault.close();
});

/** The variables of one row of the matrix: which of the three credentials are set. */
function credentials(set: string) {
  return {
    ASS_TOKEN: set.includes("T") ? token : undefined,
    ASS_AGENT_KEY: set.includes("G") ? vault.keys.agentKey : undefined,
    ASS_ADMIN_KEY: set.includes("A") ? vault.keys.adminKey : undefined,
  };
}

async function whoami(env: Record<string, string | undefined>, as?: string) {
  const result = await vault.ass([...(as ? ["--as", as] : []), "--json", "whoami"], { env });
  return { ...result, body: result.code === 0 ? JSON.parse(result.stdout) : undefined };
}

describe("credential precedence", () => {
  // T = ASS_TOKEN, G = ASS_AGENT_KEY, A = ASS_ADMIN_KEY set in the environment.
  const secretCommands: [set: string, kind: string][] = [
    ["TGA", "token"],
    ["TG", "token"],
    ["TA", "token"],
    ["GA", "agent"],
    ["G", "agent"],
    ["A", "admin"],
  ];
  for (const [set, kind] of secretCommands) {
    it(`secret commands with ${set} set act as the ${kind}`, async () => {
      const result = await whoami(credentials(set));
      expect(result.code, result.stderr).toBe(ExitCode.OK);
      expect(result.body.kind).toBe(kind);
      expect(result.body.credential.kind).toBe(kind);
    });
  }

  it("--as picks one credential, and says which variable is missing", async () => {
    expect((await whoami(credentials("TGA"), "admin")).body.kind).toBe("admin");
    expect((await whoami(credentials("TGA"), "agent")).body.kind).toBe("agent");
    const missing = await whoami(credentials("GA"), "token");
    expect(missing.code).toBe(ExitCode.UNAUTHORIZED);
    expect(missing.stderr).toBe("ass: --as token: ASS_TOKEN is not set.\n");
  });

  it("admin commands use the admin key even when a token and an agent key are set", async () => {
    const list = await vault.ass(["--json", "agents", "list"], { env: credentials("TGA") });
    expect(list.code).toBe(ExitCode.OK);
    const refused = await vault.ass(["agents", "list"], { env: credentials("TG") });
    expect(refused.code).toBe(ExitCode.UNAUTHORIZED);
    expect(refused.stderr).toContain("ASS_ADMIN_KEY");
    const wrongAs = await vault.ass(["--as", "agent", "agents", "list"], {
      env: credentials("GA"),
    });
    expect(wrongAs.code).toBe(ExitCode.USAGE);
    expect(wrongAs.stderr).toContain("--as agent");
  });

  it("a token read spends the token's use, not the admin's, when both are set", async () => {
    await vault.ass(["secrets", "set", "who/value"], { stdin: "who-value-1" });
    const once = await vault.ass(
      ["tokens", "request", "--scope", "secrets:read:who/*", "--max-uses", "1"],
      { env: credentials("G") },
    );
    const single = parseDotenv(once.stdout).ASS_TOKEN!;
    const env = { ...credentials("GA"), ASS_TOKEN: single };
    expect((await vault.ass(["secrets", "get", "who/value"], { env })).stdout).toBe(
      "who-value-1\n",
    );
    const second = await vault.ass(["secrets", "get", "who/value"], { env });
    expect(second.code).toBe(ExitCode.UNAUTHORIZED);
    expect(second.stderr).toContain("ASS_TOKEN");
  });

  it("rejects a variable holding the wrong kind of credential", async () => {
    const result = await vault.ass(["whoami"], {
      env: { ASS_ADMIN_KEY: undefined, ASS_TOKEN: vault.keys.agentKey },
    });
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain("ASS_TOKEN does not hold a scoped token");
    expect(result.stderr).not.toContain(vault.keys.agentKey);
  });
});

describe("ass whoami and ass status", () => {
  it("whoami shows a token's scopes, uses and issuer by name, never the credential", async () => {
    const result = await vault.ass(["whoami"], { env: credentials("T") });
    expect(result.code).toBe(ExitCode.OK);
    expect(result.stdout).toMatch(/credential:\s+ASS_TOKEN \(scoped token\)/);
    expect(result.stdout).toContain("secrets:read:who/*");
    expect(result.stdout).toContain("default-agent");
    expect(result.stdout).not.toContain(token);
  });

  it("status reports the vault's health and both identities", async () => {
    const result = await vault.ass(["--json", "status"], { env: credentials("GA") });
    expect(result.code).toBe(ExitCode.OK);
    const status = JSON.parse(result.stdout);
    expect(status.health.status).toBe("ok");
    expect(status.secrets_credential.me.kind).toBe("agent");
    expect(status.admin_credential.me.kind).toBe("admin");
    expect(result.stdout).not.toContain(vault.keys.agentKey);
  });

  it("status says when the vault does not answer", async () => {
    const result = await vault.ass(["status"], { env: { ASS_BASE_URL: "http://127.0.0.1:9/v1" } });
    expect(result.code).toBe(ExitCode.NETWORK);
    expect(result.stderr).toMatch(/^ass: .*127\.0\.0\.1:9/);
  });
});

describe("who mints a token", () => {
  it("says on stderr when the admin key mints, and nothing when an agent does", async () => {
    const byAdmin = await vault.ass(["tokens", "request", "--scope", "secrets:read:who/*"], {
      env: credentials("A"),
    });
    expect(byAdmin.code).toBe(ExitCode.OK);
    expect(byAdmin.stderr).toContain("minting with the admin key (ASS_ADMIN_KEY)");
    const byAgent = await vault.ass(["tokens", "request", "--scope", "secrets:read:who/*"], {
      env: credentials("GA"),
    });
    expect(byAgent.stderr).not.toContain("admin key");
  });
});

describe("ass --version and completion", () => {
  it("prints the package version, and secrets get --version still means a secret version", async () => {
    const version = await vault.ass(["--version"]);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    await vault.ass(["secrets", "set", "who/versioned"], { stdin: "v-one" });
    await vault.ass(["secrets", "set", "who/versioned"], { stdin: "v-two" });
    const first = await vault.ass(["secrets", "get", "who/versioned", "--version", "1"]);
    expect(first.stdout).toBe("v-one\n");
  });

  for (const shell of ["bash", "zsh", "fish"]) {
    it(`prints a ${shell} completion script naming the commands and their options`, async () => {
      const script = await vault.ass(["completion", shell]);
      expect(script.code).toBe(ExitCode.OK);
      for (const word of ["secrets", "tokens", "whoami", shell === "fish" ? "-l tier" : "--tier"]) {
        expect(script.stdout).toContain(word);
      }
    });
  }
});
