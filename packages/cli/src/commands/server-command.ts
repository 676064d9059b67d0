import type { EffectiveConfig, FlagValue } from "@agentsecretstore/server";
import { SERVER_OPTIONS, type ServerOptionKey } from "@agentsecretstore/server/options";
import { type Command, Option } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { collect } from "../parse-options.js";
import { registerRecoverAdminCommand } from "./recover-admin-command.js";
import { registerRotateMasterKeyCommand } from "./rotate-master-key-command.js";
import { serverPackage } from "./server-package.js";

/** `ass server`: runs the vault until the signal in `io` aborts (SIGTERM/SIGINT in the binary). */
export function registerServerCommand(program: Command, io: CliIo): void {
  const server = program
    .command("server")
    .summary("run the vault server (embedded SQLite in --data-dir, or PostgreSQL)")
    .description(
      "Run the vault server on an embedded SQLite database in --data-dir, or on PostgreSQL " +
        "(DATABASE_URL or --database-url) for several instances sharing one database. " +
        "Settings come from flags, then ASS_* variables, then a TOML --config file, then " +
        "defaults (--print-config shows the result). The first start creates the master key, an " +
        "admin key and an agent key once the port is bound, and prints them once, as dotenv " +
        "lines on stdout (also to --keys-file); logs go to stderr.",
    )
    .option("-c, --config <file>", "TOML config file (default: $ASS_CONFIG)")
    .option("--print-config", "print the effective configuration (secrets masked) and exit");
  const flagKeys = new Map<string, ServerOptionKey>();
  for (const [key, option] of Object.entries(SERVER_OPTIONS) as [
    ServerOptionKey,
    (typeof SERVER_OPTIONS)[ServerOptionKey],
  ][]) {
    if (!("flag" in option) || option.flag === undefined) continue;
    const env = option.env.join(", ");
    const described = `${option.description} (${env}; config [${key.replace(".", "] ")})`;
    const flag = new Option(option.flag, described);
    if (option.kind === "list") flag.argParser(collect);
    server.addOption(flag);
    flagKeys.set(flag.attributeName(), key);
    if (option.kind === "boolean") {
      server.addOption(new Option(`--no-${flag.long?.slice(2)}`, `the opposite of ${flag.long}`));
    }
  }
  const loadConfig = (options: Record<string, unknown>) => configFrom(options, flagKeys, io);
  registerRecoverAdminCommand(server, io, loadConfig);
  registerRotateMasterKeyCommand(server, io, loadConfig);
  server
    .addHelpText(
      "after",
      "\nExample:\n  ass server --data-dir .ass-data --keys-file keys.env   # keep the first start's keys\n" +
        "  set -a; . ./keys.env; set +a                          # then ASS_BASE_URL and the keys are set",
    )
    .action(async (options: Record<string, unknown>) =>
      serve(options, await loadConfig(options), io),
    );
}

/** The effective configuration for the server command's parsed options (a mistake: exit code 2). */
async function configFrom(
  options: Record<string, unknown>,
  flagKeys: Map<string, ServerOptionKey>,
  io: CliIo,
): Promise<EffectiveConfig> {
  const flags: Partial<Record<ServerOptionKey, FlagValue>> = {};
  for (const [attribute, key] of flagKeys) {
    const value = options[attribute];
    if (value !== undefined) flags[key] = value as FlagValue;
  }
  const { loadServerConfig } = await serverPackage();
  return configOrUsageError(() =>
    loadServerConfig({
      ...(typeof options.config === "string" ? { file: options.config } : {}),
      env: io.env,
      flags,
    }),
  );
}

async function serve(
  options: Record<string, unknown>,
  config: EffectiveConfig,
  io: CliIo,
): Promise<void> {
  const { formatEffectiveConfig, formatFirstStartKeys, startOptionsFromConfig, startServer } =
    await serverPackage();
  if (options.printConfig === true) {
    io.stdout.write(formatEffectiveConfig(config));
    return;
  }
  const startOptions = await configOrUsageError(() => startOptionsFromConfig(config, io.stderr));
  const running = await startServer(startOptions);

  // Never the URL itself: it may hold a password.
  const where = config.values["server.database_url"] ? "PostgreSQL" : startOptions.dataDir;
  io.stderr.write(`Agent Secret Store listening on ${running.url} (data in ${where})\n`);
  if (running.firstStart) {
    io.stdout.write(formatFirstStartKeys(running.baseUrl, running.firstStart));
    if (startOptions.keysFile !== undefined) {
      io.stderr.write(`The keys were also written to ${startOptions.keysFile} (mode 0600).\n`);
    }
  } else {
    io.stdout.write(`ASS_BASE_URL=${running.baseUrl}\n`);
  }

  await untilAborted(io.signal);
  io.stderr.write("Shutting down: finishing in-flight requests…\n");
  await running.close();
}

/** A configuration mistake is a usage error (exit code 2), said in one line. */
async function configOrUsageError<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { ConfigError } = await serverPackage();
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
