import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-source.js";
import { loadServerConfig } from "./load-server-config.js";
import { formatOptionsTable } from "./options-table.js";
import { formatEffectiveConfig } from "./print-config.js";
import { SERVER_OPTIONS } from "./server-options.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "ass-config-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function configFile(text: string): Promise<string> {
  const path = join(folder, "vault.toml");
  await writeFile(path, text);
  return path;
}

describe("loadServerConfig", () => {
  it("takes flags over the environment over the file over defaults, and says where each came from", async () => {
    const file = await configFile(
      '[server]\nport = 9001\nhost = "127.0.0.2"\ndata_dir = "/srv/from-file"\n[log]\nlevel = "warn"\n',
    );
    const config = await loadServerConfig({
      file,
      env: { ASS_PORT: "9002", ASS_HOST: "127.0.0.3" },
      flags: { "server.port": "9003" },
    });
    expect(config.values["server.port"]).toBe(9003);
    expect(config.sources["server.port"]).toEqual({ kind: "flag", flag: "--port" });
    expect(config.values["server.host"]).toBe("127.0.0.3");
    expect(config.sources["server.host"]).toEqual({ kind: "env", name: "ASS_HOST" });
    expect(config.values["server.data_dir"]).toBe("/srv/from-file");
    expect(config.sources["server.data_dir"]).toEqual({ kind: "file", path: file });
    expect(config.values["log.level"]).toBe("warn");
    expect(config.values["approvals.critical_delay_seconds"]).toBe(300);
    expect(config.sources["approvals.critical_delay_seconds"]).toEqual({ kind: "default" });
    expect(config.values["server.keys_file"]).toBeUndefined();
    expect(config.sources["server.keys_file"]).toBeNull();
  });

  it("reads the config file named by ASS_CONFIG, lists, switches and older variable names", async () => {
    const file = await configFile('[server]\ntrusted_proxies = ["10.0.0.1", "10.1.0.0/16"]\n');
    const config = await loadServerConfig({
      env: {
        ASS_CONFIG: file,
        ASS_CORS_ORIGINS: "https://a.example, https://b.example:8443",
        ASS_CONSOLE: "off",
        DATABASE_URL: "postgres://vault@db.internal/vault",
        REDIS_URL: "",
      },
    });
    expect(config.file).toBe(file);
    expect(config.values["server.trusted_proxies"]).toEqual(["10.0.0.1", "10.1.0.0/16"]);
    expect(config.values["server.cors_origins"]).toEqual([
      "https://a.example",
      "https://b.example:8443",
    ]);
    expect(config.values["server.console"]).toBe(false);
    expect(config.sources["server.database_url"]).toEqual({ kind: "env", name: "DATABASE_URL" });
    // An empty variable is unset.
    expect(config.values["limits.redis_url"]).toBeUndefined();
  });

  it("names the section, key and file of a bad value without repeating the value", async () => {
    const file = await configFile("[limits]\nper_credential_points = -5\n");
    const loading = loadServerConfig({ file, env: {} });
    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toThrow(
      `config file ${file}: [limits] per_credential_points: expected a positive integer`,
    );
  });

  it("names the variable and the option of a bad environment value", async () => {
    await expect(loadServerConfig({ env: { ASS_PORT: "80a" } })).rejects.toThrow(
      "environment ASS_PORT ([server] port): expected a whole number from 0 to 65535",
    );
    await expect(loadServerConfig({ env: { ASS_LOG_LEVEL: "loud" } })).rejects.toThrow(
      "environment ASS_LOG_LEVEL ([log] level): expected one of fatal, error, warn, info",
    );
    await expect(
      loadServerConfig({ env: {}, flags: { "server.trusted_proxies": ["10.0.0.5", "proxy.lan"] } }),
    ).rejects.toThrow(
      "flag --trusted-proxy ([server] trusted_proxies): expected a list of IP addresses or CIDR ranges",
    );
    await expect(
      loadServerConfig({ env: {}, flags: { "approvals.critical_delay_seconds": "soon" } }),
    ).rejects.toThrow(
      "flag --critical-delay ([approvals] critical_delay_seconds): expected a whole number of seconds",
    );
  });

  it("refuses an unknown key, suggesting the near one, and an option outside its section", async () => {
    const typo = await configFile("[limits]\nper_credential_point = 5\n");
    await expect(loadServerConfig({ file: typo, env: {} })).rejects.toThrow(
      `config file ${typo}: [limits] per_credential_point: unknown option (did you mean per_credential_points?)`,
    );
    const bare = await configFile("port = 8080\n");
    await expect(loadServerConfig({ file: bare, env: {} })).rejects.toThrow(
      `config file ${bare}: port: options go in sections: write it as [server] port`,
    );
    const section = await configFile("[sever]\nport = 1\n");
    await expect(loadServerConfig({ file: section, env: {} })).rejects.toThrow(
      /\[sever\]|sever: unknown option \(sections are \[server\]/,
    );
  });

  it("reports TOML syntax errors with their line and a missing file by its path", async () => {
    const broken = await configFile('[server]\nport = 1\nhost = "unterminated\n');
    await expect(loadServerConfig({ file: broken, env: {} })).rejects.toThrow(
      new RegExp(`^config file ${broken}: line 3, column \\d+: `),
    );
    const missing = join(folder, "absent.toml");
    await expect(loadServerConfig({ file: missing, env: {} })).rejects.toThrow(
      `config file ${missing}: cannot read it (ENOENT)`,
    );
  });
});

describe("formatEffectiveConfig", () => {
  it("masks secrets and URL passwords, and shows every value's source", async () => {
    const config = await loadServerConfig({
      env: {
        ASS_MASTER_KEY: "canary-master-key-value-31d9",
        DATABASE_URL: "postgres://vault:canary-db-password-7a1e@db.internal:5432/vault",
        ASS_METRICS_TOKEN: "canary-metrics-token-0c4b",
        ASS_WEBHOOK_SECRET: "canary-webhook-secret-55e2",
      },
      flags: { "server.port": "0" },
    });
    const text = formatEffectiveConfig(config);
    for (const canary of [
      "canary-master",
      "canary-db-password",
      "canary-metrics",
      "canary-webhook",
    ]) {
      expect(text).not.toContain(canary);
    }
    expect(text).toContain('database_url = "postgres://vault:********@db.internal:5432/vault"');
    expect(text).toMatch(/master_key = "\*+" +# environment ASS_MASTER_KEY/);
    expect(text).toMatch(/port = 0 +# flag --port/);
    expect(text).toMatch(/host = "127\.0\.0\.1" +# default/);
    expect(text).toContain("# keys_file = (not set");
    for (const key of Object.keys(SERVER_OPTIONS)) {
      expect(text).toContain(`${key.split(".")[1]} =`);
    }
  });
});

describe("broker.routes, a list of tables", () => {
  it("reads [[broker.routes]] from the file and JSON from ASS_BROKER_ROUTES, and prints valid TOML", async () => {
    const file = await configFile(
      [
        "[[broker.routes]]",
        'name = "openai"',
        'upstream = "https://api.openai.com"',
        'secret = "production/openai/api-key"',
        'header = "Authorization: Bearer {value}"',
        'path_prefixes = ["/v1/"]',
        "",
        "[[broker.routes]]",
        'name = "maps"',
        'upstream = "http://127.0.0.1:9999"',
        'secret = "production/maps/key"',
        'query_parameter = "key"',
        "",
      ].join("\n"),
    );
    const config = await loadServerConfig({ file, env: {} });
    expect(config.values["broker.routes"]).toEqual([
      {
        name: "openai",
        upstream: "https://api.openai.com",
        secret: "production/openai/api-key",
        header: "Authorization: Bearer {value}",
        path_prefixes: ["/v1/"],
      },
      {
        name: "maps",
        upstream: "http://127.0.0.1:9999",
        secret: "production/maps/key",
        query_parameter: "key",
      },
    ]);
    const printed = formatEffectiveConfig(config);
    const again = await loadServerConfig({
      file: await configFile(printed.replace(/^(\S+ = .*?)\s+# .*$/gm, "$1")),
      env: {},
    });
    expect(again.values["broker.routes"]).toEqual(config.values["broker.routes"]);
    const fromEnv = await loadServerConfig({
      env: {
        ASS_BROKER_ROUTES: JSON.stringify([
          { name: "x", upstream: "https://x.example", secret: "a/b", basic_user: "api" },
        ]),
      },
    });
    expect(fromEnv.values["broker.routes"]).toHaveLength(1);
    expect((await loadServerConfig({ env: {} })).values["broker.routes"]).toEqual([]);
  });

  it.each([
    [
      'name = "x"\nupstream = "http://api.example.com"\nsecret = "a/b"\nheader = "X-Key: {value}"',
      "plain http is allowed only to a loopback address",
    ],
    [
      'name = "x"\nupstream = "https://api.example.com"\nsecret = "a/b"',
      "give exactly one of header, basic_user or query_parameter",
    ],
    [
      'name = "x"\nupstream = "https://api.example.com"\nsecret = "a/b"\nheader = "X-Key: fixed"',
      "the template must hold {value}",
    ],
    [
      'name = "x"\nupstream = "https://api.example.com"\nsecret = "a/b"\nheader = "X-Key: {value}"\nmethod = ["GET"]',
      "0: Unrecognized key",
    ],
  ])("refuses a route that cannot work, saying what to fix (%#)", async (route, message) => {
    const file = await configFile(`[[broker.routes]]\n${route}\n`);
    const error = await loadServerConfig({ file, env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("[broker] routes");
    expect((error as ConfigError).message).toContain(message);
  });

  it("says what a variable that is not JSON should be", async () => {
    const error = await loadServerConfig({ env: { ASS_BROKER_ROUTES: "openai" } }).catch(
      (caught: unknown) => caught,
    );
    expect((error as ConfigError).message).toContain("expected a list of tables");
  });
});

describe("the server README", () => {
  it("carries the options table generated from SERVER_OPTIONS", async () => {
    const readme = await readFile(
      join(dirname(fileURLToPath(import.meta.url)), "../../README.md"),
      "utf8",
    );
    const start = readme.indexOf("<!-- options:start -->\n");
    const end = readme.indexOf("<!-- options:end -->");
    expect(start, "README.md needs <!-- options:start --> … <!-- options:end -->").toBeGreaterThan(
      0,
    );
    const table = readme.slice(start + "<!-- options:start -->\n".length, end);
    expect(table).toBe(formatOptionsTable());
    for (const option of Object.values(SERVER_OPTIONS)) {
      expect(table).toContain(`\`${option.env[0]}\``);
    }
  });
});

describe("the deploy examples", () => {
  it("deploy/ass.env names only known variables, and its values load", async () => {
    const text = await readFile(
      join(dirname(fileURLToPath(import.meta.url)), "../../deploy/ass.env"),
      "utf8",
    );
    const known = new Set(Object.values(SERVER_OPTIONS).flatMap((option) => [...option.env]));
    const env: Record<string, string> = {};
    for (const line of text.split("\n")) {
      const match = /^(#\s*)?([A-Z][A-Z0-9_]+)=(\S*)/.exec(line);
      if (match === null) continue;
      expect(known.has(match[2] ?? ""), `${match[2]} in deploy/ass.env`).toBe(true);
      if (match[1] === undefined) env[match[2] ?? ""] = match[3] ?? "";
    }
    expect(Object.keys(env)).toContain("ASS_KEYS_FILE");
    const config = await loadServerConfig({ env });
    expect(config.values["server.data_dir"]).toBe("/var/lib/ass");
  });
});
