import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { startCliVault } from "./cli-vault.js";

let vault: Awaited<ReturnType<typeof startCliVault>>;

beforeAll(async () => {
  vault = await startCliVault();
});

afterAll(async () => {
  await vault.close();
});

describe("ass secrets", () => {
  it("sets a value from standard input and gets it back", async () => {
    const set = await vault.ass(
      ["secrets", "set", "cli/alpha", "--description", "first", "--tag", "team=ml"],
      {
        stdin: "alpha-value-from-stdin\n",
      },
    );
    expect(set.code).toBe(ExitCode.OK);
    expect(set.stdout).toContain("Stored cli/alpha version 1");
    expect(set.stdout).not.toContain("alpha-value-from-stdin");

    const get = await vault.ass(["secrets", "get", "cli/alpha"]);
    expect(get.code).toBe(ExitCode.OK);
    expect(get.stdout).toBe("alpha-value-from-stdin\n");
  });

  it("binds a secret to destinations and per-call approval, shown by get --metadata", async () => {
    const set = await vault.ass(
      [
        "secrets",
        "set",
        "bound/key",
        "--allowed-destination",
        "https://api.example.com/v1/",
        "--allowed-destination",
        "https://api.example.com/v2",
        "--allowed-destination",
        "https://other.example.com",
        "--approval",
        "per_call",
      ],
      { stdin: "bound-value" },
    );
    expect(set.code).toBe(ExitCode.OK);
    const shown = await vault.ass(["secrets", "get", "bound/key", "--metadata"]);
    expect(shown.stdout).toContain(
      "https://api.example.com/v1/, https://api.example.com/v2, https://other.example.com/",
    );
    expect(shown.stdout).toMatch(/approval:\s+per_call/);
    const json = await vault.ass(["--json", "secrets", "get", "bound/key", "--metadata"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      allowedDestinations: [
        { origin: "https://api.example.com", pathPrefixes: ["/v1/", "/v2"] },
        { origin: "https://other.example.com", pathPrefixes: null },
      ],
      approval: "per_call",
    });
    expect(json.stdout).not.toContain("bound-value");

    await vault.ass(["secrets", "set", "bound/key", "--approval", "none"], { stdin: "bound-2" });
    const off = await vault.ass(["secrets", "get", "bound/key", "--metadata"]);
    expect(off.stdout).toMatch(/approval:\s+none/);
    expect(off.stdout).toContain("https://other.example.com/");
  });

  it("refuses a destination that is not scheme://host[:port][/prefix]", async () => {
    for (const bad of ["ftp://x.example.com", "not a url", "https://x.example.com/v1?q=1"]) {
      const set = await vault.ass(["secrets", "set", "bound/bad", "--allowed-destination", bad], {
        stdin: "bad-value",
      });
      expect(set.code).not.toBe(ExitCode.OK);
      expect(set.stderr).toMatch(/allowed-destination/);
    }
  });

  it("lists metadata as a table and as JSON, never values", async () => {
    await vault.ass(["secrets", "set", "cli/beta", "--tier", "standard"], { stdin: "beta-value" });
    const table = await vault.ass(["secrets", "list", "cli"]);
    expect(table.code).toBe(ExitCode.OK);
    expect(table.stdout).toMatch(/^PATH\s+VERSION\s+TIER/);
    expect(table.stdout).toContain("cli/alpha");
    expect(table.stdout).toContain("cli/beta");
    expect(table.stdout).not.toContain("beta-value");

    const json = await vault.ass(["--json", "secrets", "list", "cli"]);
    const items = JSON.parse(json.stdout) as { path: string }[];
    expect(items.map((item) => item.path)).toEqual(["cli/alpha", "cli/beta"]);
    expect(json.stdout).not.toContain("beta-value");
  });

  it("rotates with a grace period and keeps the old version readable", async () => {
    await vault.ass(["secrets", "set", "cli/rotating"], { stdin: "rotating-one" });
    const rotate = await vault.ass(["secrets", "rotate", "cli/rotating", "--grace-period", "300"], {
      stdin: "rotating-two",
    });
    expect(rotate.code).toBe(ExitCode.OK);
    expect(rotate.stdout).toContain("Rotated cli/rotating to version 2");
    expect((await vault.ass(["secrets", "get", "cli/rotating"])).stdout).toBe("rotating-two\n");
    expect((await vault.ass(["secrets", "get", "cli/rotating", "--version", "1"])).stdout).toBe(
      "rotating-one\n",
    );
  });

  it("refuses to delete without --yes, then deletes", async () => {
    await vault.ass(["secrets", "set", "cli/doomed"], { stdin: "doomed-value" });
    const refused = await vault.ass(["secrets", "delete", "cli/doomed"]);
    expect(refused.code).toBe(ExitCode.USAGE);
    expect(refused.stderr).toContain("--yes");

    expect((await vault.ass(["secrets", "delete", "cli/doomed", "--yes"])).code).toBe(ExitCode.OK);
    const gone = await vault.ass(["secrets", "get", "cli/doomed"]);
    expect(gone.code).toBe(ExitCode.NOT_FOUND);
  });

  it("imports a .env file below a namespace", async () => {
    const result = await vault.ass(["secrets", "import", "cli/imported"], {
      stdin: '# app settings\nFIRST=one\nexport SECOND="two"\n',
    });
    expect(result.code).toBe(ExitCode.OK);
    expect(result.stdout).toContain("2 new (FIRST, SECOND)");
    expect((await vault.ass(["secrets", "get", "cli/imported/SECOND"])).stdout).toBe("two\n");
  });

  it("explains how to give a value when there is no standard input", async () => {
    const result = await vault.ass(["secrets", "set", "cli/nothing"]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toContain("standard input");
  });

  it("maps a bad path to a usage error with the server's explanation", async () => {
    const result = await vault.ass(["secrets", "get", "cli/../escape"]);
    expect(result.code).toBe(ExitCode.USAGE);
    expect(result.stderr).toMatch(/path|segment/i);
  });

  it("names the missing configuration", async () => {
    const noUrl = await vault.ass(["secrets", "list"], { env: { ASS_BASE_URL: undefined } });
    expect(noUrl.code).toBe(ExitCode.USAGE);
    expect(noUrl.stderr).toContain("ASS_BASE_URL");
    const noKey = await vault.ass(["secrets", "list"], { env: { ASS_ADMIN_KEY: undefined } });
    expect(noKey.code).toBe(ExitCode.UNAUTHORIZED);
    expect(noKey.stderr).toContain("ASS_AGENT_KEY");
  });
});
