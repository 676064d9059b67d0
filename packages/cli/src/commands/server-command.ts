import { readFile } from "node:fs/promises";
import { formatFirstStartKeys, startServer } from "@agentsecretstore/server";
import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { collect } from "../parse-options.js";

type ServerCommandOptions = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  trustedProxy: string[];
  logLevel: string;
  criticalDelay?: number;
  keysFile?: string;
};

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** `ass server`: runs the vault until the signal in `io` aborts (SIGTERM/SIGINT in the binary). */
export function registerServerCommand(program: Command, io: CliIo): void {
  program
    .command("server")
    .summary("run the vault server (embedded SQLite in --data-dir, or PostgreSQL)")
    .description(
      "Run the vault server on an embedded SQLite database in --data-dir, or on PostgreSQL " +
        "(DATABASE_URL or --database-url) for several instances sharing one database. " +
        "The first start creates the master key, an admin key and an agent key and prints them " +
        "once, as dotenv lines on stdout; logs go to stderr.",
    )
    .option("-p, --port <port>", "port to listen on (0 = any free port)", parsePort, 8787)
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("-d, --data-dir <dir>", "folder for the database and the master key file", ".ass-data")
    .option(
      "--database-url <url>",
      "run on PostgreSQL (postgres://…[?schema=name]) so several instances share the data; prefer the DATABASE_URL variable, which keeps a password out of the process list. Every instance needs the same ASS_MASTER_KEY",
    )
    .option("--tls-cert <file>", "PEM certificate: serve HTTPS (with --tls-key)")
    .option("--tls-key <file>", "PEM private key for --tls-cert")
    .option(
      "--insecure-http",
      "allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)",
    )
    .option(
      "--trusted-proxy <address>",
      "address or CIDR of a proxy whose X-Forwarded-For is believed (repeatable)",
      collect,
      [],
    )
    .option(
      "--critical-delay <seconds>",
      "wait after a critical request's second approval, during which anyone may cancel (default 300)",
      parseSeconds,
    )
    .option(
      "--keys-file <path>",
      "on the first start, also write the keys to this new file (mode 0600; never overwritten)",
    )
    .option("--log-level <level>", `one of ${LOG_LEVELS.join(", ")}`, "info")
    .addHelpText(
      "after",
      "\nExample:\n  ass server --data-dir .ass-data > .env.ass   # keep the first start's keys\n" +
        "  set -a; . ./.env.ass; set +a                 # then ASS_BASE_URL and the keys are set",
    )
    .action((options: ServerCommandOptions) => serve(options, io));
}

async function serve(options: ServerCommandOptions, io: CliIo): Promise<void> {
  if (!LOG_LEVELS.includes(options.logLevel)) {
    throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(", ")}.`, 2);
  }
  const tls = await readTls(options);
  const server = await startServer({
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    env: io.env,
    insecureHttp: options.insecureHttp === true,
    trustedProxies: options.trustedProxy,
    logger: { level: options.logLevel, stream: io.stderr },
    ...(options.criticalDelay !== undefined && {
      approvals: { criticalDelaySeconds: options.criticalDelay },
    }),
    ...(tls ? { tls } : {}),
    ...(options.keysFile === undefined ? {} : { keysFile: options.keysFile }),
  });

  // Never the URL itself: it may hold a password.
  const where = (options.databaseUrl ?? io.env.DATABASE_URL) ? "PostgreSQL" : options.dataDir;
  io.stderr.write(`Agent Secret Store listening on ${server.url} (data in ${where})\n`);
  if (server.firstStart) {
    io.stdout.write(formatFirstStartKeys(server.baseUrl, server.firstStart));
  } else {
    io.stdout.write(`ASS_BASE_URL=${server.baseUrl}\n`);
  }

  await untilAborted(io.signal);
  io.stderr.write("Shutting down: finishing in-flight requests…\n");
  await server.close();
}

async function readTls(
  options: ServerCommandOptions,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (!options.tlsCert && !options.tlsKey) return undefined;
  if (!options.tlsCert || !options.tlsKey) {
    throw new CliError("--tls-cert and --tls-key go together: give both files.", 2);
  }
  try {
    const [cert, key] = await Promise.all([readFile(options.tlsCert), readFile(options.tlsKey)]);
    return { cert, key };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot read the TLS files: ${reason}`);
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new InvalidArgumentError("expected a whole number of seconds (0 or more).");
  }
  return seconds;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError("the port must be a whole number from 0 to 65535.");
  }
  return port;
}
