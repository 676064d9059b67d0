import type { AllowedDestination } from "@agentsecretstore/agent-tools";
import { AgentVault } from "@agentsecretstore/client";
import type { RunningVault } from "@agentsecretstore/testkit";
import { createVaultMcp } from "../../src/create-vault-mcp.js";
import { anyAuthenticator, ownTokenAuthenticator } from "../../src/http/caller-authenticator.js";
import {
  type RunningHttpMcpServer,
  startHttpMcpServer,
} from "../../src/http/start-http-mcp-server.js";
import { vaultTokenAuthenticator } from "../../src/http/vault-token-authenticator.js";
import { createStderrLogger } from "../../src/logging/stderr-logger.js";

/** Bearer tokens of two callers of the MCP server (fixtures, not real credentials). */
export const CALLER_A_TOKEN = "fixture-mcp-caller-a-0123456789abcdef0123";
export const CALLER_B_TOKEN = "fixture-mcp-caller-b-fedcba9876543210fedc";

/** The in-process HTTP MCP server, with what it sent to the vault and what it logged. */
export interface HttpMcp {
  readonly server: RunningHttpMcpServer;
  /** Every request the MCP server's vault client made (URL and headers). */
  readonly vaultRequests: Array<{ url: string; headers: Headers }>;
  /** Its log, as written to stderr. */
  log(): string;
  close(): Promise<void>;
}

/** Starts the Streamable HTTP MCP server on loopback, serving the vault tools of `vault`. */
export async function startHttpMcp(
  vault: RunningVault,
  options: {
    destinations?: AllowedDestination[];
    progressIntervalMs?: number;
    /** Also accept the vault's scoped tokens as callers (checked every time: no cache). */
    acceptVaultTokens?: boolean;
    /** Close sessions idle this long, in ms. */
    sessionIdleTimeoutMs?: number;
    /** Session caps (see startHttpMcpServer). */
    maxSessionsPerCaller?: number;
    maxSessions?: number;
  } = {},
): Promise<HttpMcp> {
  const vaultRequests: Array<{ url: string; headers: Headers }> = [];
  let log = "";
  const client = new AgentVault({
    agentKey: vault.agentKey,
    baseUrl: vault.baseUrl,
    retries: 0,
    env: {},
    fetch: (url, init) => {
      vaultRequests.push({ url, headers: new Headers(init.headers) });
      return fetch(url, init);
    },
  });
  let mask = (text: string) => text;
  const logger = createStderrLogger({
    stream: { write: (chunk: string) => (log += chunk) },
    level: "debug",
    mask: (text) => mask(text),
  });
  const vaultMcp = createVaultMcp({
    vault: client,
    logger,
    destinations: options.destinations ?? [],
    progressIntervalMs: options.progressIntervalMs ?? 200,
  });
  mask = vaultMcp.maskForLog;
  const server = await startHttpMcpServer({
    port: 0,
    authenticator: anyAuthenticator([
      ownTokenAuthenticator([CALLER_A_TOKEN, CALLER_B_TOKEN]),
      ...(options.acceptVaultTokens === true
        ? [vaultTokenAuthenticator({ vault: client, cacheMs: 0 })]
        : []),
    ]),
    openSession: vaultMcp.openSession,
    mask: vaultMcp.maskForModel,
    logger,
    ...(options.sessionIdleTimeoutMs !== undefined && {
      sessionIdleTimeoutMs: options.sessionIdleTimeoutMs,
    }),
    ...(options.maxSessionsPerCaller !== undefined && {
      maxSessionsPerCaller: options.maxSessionsPerCaller,
    }),
    ...(options.maxSessions !== undefined && { maxSessions: options.maxSessions }),
  });
  return {
    server,
    vaultRequests,
    log: () => log,
    close: async () => {
      await server.close();
      await client.close();
    },
  };
}
