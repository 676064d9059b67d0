import { readFile } from "node:fs/promises";
import { AgentVault } from "@agentsecretstore/client";
import { Command, InvalidArgumentError } from "commander";
import {
  type DestinationConfig,
  destinationsFromEnvironment,
  readConfigFile,
} from "./config/destinations-config.js";
import { hasVaultCredential, vaultBaseUrlFrom } from "./config/vault-connection.js";
import { createVaultMcp } from "./create-vault-mcp.js";
import {
  anyAuthenticator,
  type CallerAuthenticator,
  ownTokenAuthenticator,
} from "./http/caller-authenticator.js";
import { startHttpMcpServer } from "./http/start-http-mcp-server.js";
import { vaultTokenAuthenticator } from "./http/vault-token-authenticator.js";
import { createStderrLogger, LOG_LEVELS, type LogLevel } from "./logging/stderr-logger.js";
import { McpConfigError } from "./mcp-config-error.js";
import type { McpIo } from "./mcp-io.js";
import { PACKAGE_VERSION } from "./package-version.js";
import { serveStdio } from "./stdio/serve-stdio.js";

interface McpCommandOptions {
  http?: boolean;
  port: number;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  allowedOrigin: string[];
  publicUrl?: string;
  revealValues?: boolean;
  acceptVaultTokens?: boolean;
  config?: string;
  logLevel: string;
  progressInterval: number;
}

// Shorter bearer tokens could be guessed; `openssl rand -hex 32` gives 64 characters.
const MIN_AUTH_TOKEN_LENGTH = 32;

const ENVIRONMENT_HELP = `
Environment:
  ASS_BASE_URL or ASS_API_URL   the vault API (an origin, or ending in /v1)
  ASS_AGENT_KEY or ASS_TOKEN    the vault credential the tools use (ASS_TOKEN wins)
  ASS_MCP_DESTINATIONS          JSON array of destinations for call_api_with_secret
  ASS_MCP_CONFIG                a JSON configuration file (like --config)
  ASS_MCP_AUTH_TOKEN            with --http: the bearer token callers must present

Example (Claude Code):
  claude mcp add vault --env ASS_BASE_URL=http://127.0.0.1:8787 --env ASS_AGENT_KEY=… -- npx -y @agentsecretstore/mcp`;

/** Options of {@link runMcpServer}. */
export interface RunMcpServerOptions {
  /**
   * The command's name in help and usage messages.
   * @default "ass-mcp"
   */
  readonly name?: string;
}

/**
 * The `ass-mcp` command (also `ass mcp`): serves the vault tools over MCP on stdio, or on
 * Streamable HTTP with `--http`, until stdin ends or `io.signal` aborts. Throws
 * {@link McpConfigError} for a configuration to fix, and commander's errors for usage.
 */
export async function runMcpServer(
  argv: readonly string[],
  io: McpIo,
  options: RunMcpServerOptions = {},
): Promise<void> {
  const program = mcpCommand(io, options.name ?? "ass-mcp");
  await program.parseAsync([...argv], { from: "user" });
}

/** The commander definition of the MCP server command, named `name`. */
export function mcpCommand(io: McpIo, name: string): Command {
  return new Command(name)
    .description(
      "Serve the Agent Secret Store's vault tools to MCP hosts (Claude Desktop, Claude Code, Cursor, VS Code…): on stdio by default, or on Streamable HTTP with --http. The model works with paths and metadata; secret values never reach it unless --reveal-values is given.",
    )
    .version(PACKAGE_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .option("--http", "serve Streamable HTTP at /mcp instead of stdio")
    .option(
      "-p, --port <port>",
      "with --http: port to listen on (0 = any free port)",
      parsePort,
      8788,
    )
    .option("--host <address>", "with --http: address to bind", "127.0.0.1")
    .option("--tls-cert <file>", "with --http: PEM certificate, serve HTTPS (with --tls-key)")
    .option("--tls-key <file>", "with --http: PEM private key for --tls-cert")
    .option(
      "--insecure-http",
      "with --http: allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)",
    )
    .option(
      "--allowed-origin <origin>",
      "with --http: a browser origin allowed to call (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--accept-vault-tokens",
      "with --http: also accept the vault's scoped tokens (ast_tok_…) as callers; each session works with a child token of the caller's",
    )
    .option(
      "--public-url <url>",
      "with --http: the origin callers use when a proxy sits in front (names the protected resource)",
    )
    .option(
      "--reveal-values",
      "let get_secret return secret values to the model (off: it declines and points to call_api_with_secret)",
    )
    .option(
      "--config <file>",
      "JSON configuration file with destinations (default: $ASS_MCP_CONFIG)",
    )
    .option(
      "--progress-interval <seconds>",
      "time between progress notifications while a tool call waits (for clients that ask for progress)",
      parseSeconds,
      5,
    )
    .option("--log-level <level>", `stderr logging: one of ${LOG_LEVELS.join(", ")}`, "info")
    .addHelpText("after", ENVIRONMENT_HELP)
    .action((options: McpCommandOptions) => serve(options, io));
}

async function serve(options: McpCommandOptions, io: McpIo): Promise<void> {
  if (!(LOG_LEVELS as readonly string[]).includes(options.logLevel)) {
    throw new McpConfigError(`--log-level must be one of ${LOG_LEVELS.join(", ")}.`, "USAGE");
  }
  const destinations = await readDestinations(options, io.env);
  let mask = (text: string) => text;
  const logger = createStderrLogger({
    stream: io.stderr,
    level: options.logLevel as LogLevel,
    mask: (text) => mask(text),
  });
  const baseUrl = vaultBaseUrlFrom(io.env);
  let vault: AgentVault;
  try {
    vault = new AgentVault({ baseUrl, env: io.env, logger });
  } catch (error) {
    throw new McpConfigError(
      error instanceof Error ? error.message : String(error),
      "INVALID_VAULT_URL",
    );
  }
  if (!hasVaultCredential(io.env)) {
    logger.warn(
      "No vault credential: set ASS_AGENT_KEY (an agent key, ass_live_…) or ASS_TOKEN (a scoped token, ast_tok_…). Every tool call will fail until then.",
    );
  }
  const vaultMcp = createVaultMcp({
    vault,
    revealValues: options.revealValues === true,
    destinations,
    logger,
    progressIntervalMs: Math.round(options.progressInterval * 1000),
  });
  mask = vaultMcp.maskForLog;
  logger.info(`vault API ${vault.baseUrl}`, {
    revealValues: options.revealValues === true,
    destinations: destinations.length,
  });
  try {
    if (options.http === true) await serveHttp(options, io, vault, vaultMcp, logger);
    else {
      keepStdoutForProtocol();
      await serveStdio({
        openSession: vaultMcp.openSession,
        mask: vaultMcp.maskForModel,
        logger,
        stdin: io.stdin,
        stdout: io.stdout,
        ...(io.signal !== undefined && { signal: io.signal }),
      });
    }
  } finally {
    await vault.close();
  }
}

/**
 * In stdio mode stdout carries protocol messages and nothing else: whatever a library prints
 * with console.log from now on goes to stderr instead.
 */
function keepStdoutForProtocol(): void {
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
}

async function serveHttp(
  options: McpCommandOptions,
  io: McpIo,
  vault: AgentVault,
  vaultMcp: ReturnType<typeof createVaultMcp>,
  logger: ReturnType<typeof createStderrLogger>,
): Promise<void> {
  const authToken = io.env.ASS_MCP_AUTH_TOKEN?.trim() ?? "";
  const acceptVaultTokens = options.acceptVaultTokens === true;
  if (authToken.length < MIN_AUTH_TOKEN_LENGTH && !(authToken === "" && acceptVaultTokens)) {
    throw new McpConfigError(
      `--http needs ASS_MCP_AUTH_TOKEN: a bearer token of at least ${MIN_AUTH_TOKEN_LENGTH} characters that callers must present (make one with \`openssl rand -hex 32\`), or --accept-vault-tokens alone.`,
      "MISSING_AUTH_TOKEN",
    );
  }
  const authenticators: CallerAuthenticator[] = [];
  if (authToken !== "") authenticators.push(ownTokenAuthenticator([authToken]));
  if (acceptVaultTokens) authenticators.push(vaultTokenAuthenticator({ vault }));
  const tls = await readTls(options);
  const server = await startHttpMcpServer({
    host: options.host,
    port: options.port,
    ...(tls !== undefined && { tls }),
    insecureHttp: options.insecureHttp === true,
    authenticator: anyAuthenticator(authenticators),
    allowedOrigins: options.allowedOrigin,
    ...(options.publicUrl !== undefined && { publicOrigin: publicOriginOf(options.publicUrl) }),
    openSession: vaultMcp.openSession,
    mask: vaultMcp.maskForModel,
    logger,
  });
  logger.info(`serving MCP on ${server.url}`);
  await untilAborted(io.signal);
  logger.info("shutting down: closing sessions");
  await server.close();
}

async function readDestinations(
  options: McpCommandOptions,
  env: McpIo["env"],
): Promise<readonly DestinationConfig[]> {
  const configPath = options.config ?? (env.ASS_MCP_CONFIG?.trim() || undefined);
  const fromFile = configPath === undefined ? [] : (await readConfigFile(configPath)).destinations;
  return [...fromFile, ...destinationsFromEnvironment(env.ASS_MCP_DESTINATIONS)];
}

async function readTls(
  options: McpCommandOptions,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined;
  if (options.tlsCert === undefined || options.tlsKey === undefined) {
    throw new McpConfigError("--tls-cert and --tls-key go together: give both files.", "USAGE");
  }
  try {
    const [cert, key] = await Promise.all([readFile(options.tlsCert), readFile(options.tlsKey)]);
    return { cert, key };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new McpConfigError(`Cannot read the TLS files (${code}).`, "USAGE");
  }
}

function publicOriginOf(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
  } catch {}
  throw new McpConfigError(`--public-url must be an http(s) URL, got ${value}.`, "USAGE");
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3_600) {
    throw new InvalidArgumentError("expected a number of seconds from 0.1 to 3600.");
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
