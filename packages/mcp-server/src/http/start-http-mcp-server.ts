import { randomUUID } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as NodeServer,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpLogger } from "../logging/stderr-logger.js";
import { McpConfigError } from "../mcp-config-error.js";
import { type MaskJson, maskOutgoing } from "../protocol/masking-transport.js";
import type { McpSession, McpSessionFactory } from "../protocol/mcp-session.js";
import {
  bearerTokenOf,
  type Caller,
  type CallerAuthenticator,
  type SessionCredential,
} from "./caller-authenticator.js";
import { hostHeaderName, isLoopbackHost, originHost } from "./loopback-host.js";
import {
  MCP_PATH,
  METADATA_PATHS,
  protectedResourceMetadata,
  wwwAuthenticate,
} from "./protected-resource-metadata.js";
import { readJsonBody } from "./read-json-body.js";

/** Options of {@link startHttpMcpServer}. */
export interface HttpMcpServerOptions {
  /**
   * Address to bind. A non-loopback address needs `tls` or `insecureHttp`, as for `ass server`.
   * @default "127.0.0.1"
   */
  readonly host?: string;
  /**
   * Port; 0 picks a free one.
   * @default 8788
   */
  readonly port?: number;
  /** Serve HTTPS with this PEM certificate and key. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /**
   * Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy).
   * @default false
   */
  readonly insecureHttp?: boolean;
  /** Who may call: every request must carry a bearer token it accepts. */
  readonly authenticator: CallerAuthenticator;
  /**
   * Browser origins allowed to call (`Origin` header); requests from any other origin get a
   * 403, against DNS rebinding and cross-site requests.
   * @default [] (no browser origin)
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * The origin callers reach this server at, when a proxy sits in front
   * (`https://mcp.example.com`); it names the resource in the protected-resource metadata.
   * @default the listening origin
   */
  readonly publicOrigin?: string;
  /** Makes each new session's protocol server. */
  readonly openSession: McpSessionFactory;
  /** Applied to every message sent to a client. */
  readonly mask: MaskJson;
  readonly logger: McpLogger;
  /**
   * A session with no call being answered and no request for this long is closed, in ms.
   * @default 3_600_000 (one hour)
   */
  readonly sessionIdleTimeoutMs?: number;
  /**
   * Largest request body, in bytes.
   * @default 1_048_576
   */
  readonly maxBodyBytes?: number;
  /**
   * Sessions one caller may hold open at once; a further `initialize` gets 429 until one ends
   * (DELETE, or idleness), so a client that never closes its sessions cannot grow the process.
   * @default 32
   */
  readonly maxSessionsPerCaller?: number;
  /**
   * Sessions open at once from every caller together; a further `initialize` gets 503.
   * @default 1024
   */
  readonly maxSessions?: number;
}

/** A listening Streamable HTTP MCP server. */
export interface RunningHttpMcpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8788/mcp`. */
  readonly url: string;
  readonly port: number;
  /** How many sessions are open. */
  sessionCount(): number;
  /** Closes every session (revoking their tokens) and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface OpenSession {
  readonly caller: Caller;
  readonly transport: StreamableHTTPServerTransport;
  readonly session: McpSession;
  readonly credential: SessionCredential | undefined;
  lastSeen: number;
  /** Calls (POST) of the session still being answered: a long wait is not idleness. */
  inFlight: number;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function jsonRpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(response, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

function startsSession(body: unknown): boolean {
  return Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body);
}

/**
 * Serves MCP over Streamable HTTP at `/mcp`, as an OAuth protected resource: every request
 * needs a bearer token the `authenticator` accepts (401 with `WWW-Authenticate` pointing to
 * `/.well-known/oauth-protected-resource` otherwise), each session is bound to the caller
 * that opened it (another caller gets 404 for it), and browser origins are refused unless
 * allowed.
 */
export async function startHttpMcpServer(
  options: HttpMcpServerOptions,
): Promise<RunningHttpMcpServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8788;
  if (!isLoopbackHost(host) && options.tls === undefined && options.insecureHttp !== true) {
    throw new McpConfigError(
      `Refusing to serve plain HTTP on ${host}, which is not a loopback address: bearer tokens would cross the network in clear text. Give --tls-cert and --tls-key, or --insecure-http when a TLS-terminating proxy sits in front.`,
      "INSECURE_HTTP",
    );
  }
  const { logger } = options;
  const sessions = new Map<string, OpenSession>();
  const maxPerCaller = options.maxSessionsPerCaller ?? 32;
  const maxSessions = options.maxSessions ?? 1024;
  /** Why a new session of `caller` may not open now, or undefined. */
  const sessionLimitReached = (caller: Caller) => {
    if (sessions.size >= maxSessions) {
      return {
        status: 503,
        reason: "the server holds its most sessions",
        message: `This MCP server holds its most sessions (${maxSessions}); try again later`,
      };
    }
    let mine = 0;
    for (const open of sessions.values()) if (open.caller.id === caller.id) mine += 1;
    if (mine < maxPerCaller) return undefined;
    return {
      status: 429,
      reason: "the caller holds its most sessions",
      message: `This caller holds its most sessions (${maxPerCaller}): end one (DELETE with its Mcp-Session-Id) before starting another`,
    };
  };
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  let publicOrigin = options.publicOrigin?.replace(/\/+$/, "") ?? "";

  const closeSession = async (id: string): Promise<void> => {
    const open = sessions.get(id);
    if (open === undefined) return;
    sessions.delete(id);
    await open.transport.close().catch(() => {});
    await open.session.close().catch((error: unknown) => {
      logger.warn(`closing session ${id} failed: ${String(error)}`);
    });
    await open.credential?.close().catch((error: unknown) => {
      logger.warn(`revoking the token of session ${id} failed: ${String(error)}`);
    });
    logger.info("session closed", { session: id });
  };

  const openNewSession = async (caller: Caller): Promise<StreamableHTTPServerTransport> => {
    const id = randomUUID();
    // A caller with a credential of its own (a vault token) gets a token issued to this session.
    const credential = await caller.openSessionCredential?.(id);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id });
    const session = options.openSession(
      id,
      credential === undefined ? {} : { vaultToken: credential.vaultToken },
    );
    sessions.set(id, { caller, transport, session, credential, lastSeen: Date.now(), inFlight: 0 });
    transport.onclose = () => {
      void closeSession(id);
    };
    await session.server.connect(maskOutgoing(transport, options.mask));
    logger.info("session opened", { session: id, caller: caller.id });
    return transport;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const hostHeader = request.headers.host ?? "";
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (isLoopbackHost(host) && !isLoopbackHost(hostHeaderName(hostHeader))) {
      sendJson(response, 403, { error: "Host not allowed" });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      sendJson(response, 403, { error: `Origin ${origin} is not allowed` });
      return;
    }
    if ((METADATA_PATHS as readonly string[]).includes(url.pathname)) {
      if (request.method !== "GET") {
        sendJson(response, 405, { error: "Use GET" }, { allow: "GET" });
        return;
      }
      sendJson(response, 200, protectedResourceMetadata(publicOrigin));
      return;
    }
    if (url.pathname !== MCP_PATH) {
      sendJson(response, 404, { error: `Not found: the MCP endpoint is ${MCP_PATH}` });
      return;
    }
    const token = bearerTokenOf(request.headers.authorization);
    let caller: Caller | undefined;
    try {
      caller = token === undefined ? undefined : await options.authenticator.authenticate(token);
    } catch (error) {
      logger.warn(
        `could not check a bearer token with the vault: ${error instanceof Error ? error.message : String(error)}`,
      );
      sendJson(response, 503, { error: "The vault could not check the bearer token; try again" });
      return;
    }
    if (caller === undefined) {
      logger.info("refused an unauthenticated request", {
        reason: token === undefined ? "no bearer token" : "unknown bearer token",
      });
      sendJson(
        response,
        401,
        { error: "A bearer token for this MCP server is required" },
        { "www-authenticate": wwwAuthenticate(publicOrigin, token !== undefined) },
      );
      return;
    }

    let body: unknown;
    if (request.method === "POST") {
      const read = await readJsonBody(request, maxBodyBytes);
      if ("problem" in read) {
        if (read.problem === "too_large") {
          jsonRpcError(response, 413, -32600, `The request body is over ${maxBodyBytes} bytes`);
        } else jsonRpcError(response, 400, -32700, "Parse error: the body is not JSON");
        return;
      }
      body = read.body;
    }

    const sessionHeader = request.headers["mcp-session-id"];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    if (sessionId !== undefined) {
      const open = sessions.get(sessionId);
      // Another caller's session answers exactly like one that does not exist.
      if (open === undefined || open.caller.id !== caller.id) {
        jsonRpcError(response, 404, -32001, "Session not found");
        return;
      }
      // A call being answered (a wait for approval) is activity until it ends; an SSE stream
      // (GET) is not, so a host that vanished with one open still times out.
      const counted = request.method === "POST" ? 1 : 0;
      open.inFlight += counted;
      try {
        await open.transport.handleRequest(request, response, body);
      } finally {
        open.inFlight -= counted;
        open.lastSeen = Date.now();
      }
      return;
    }
    if (request.method === "POST" && startsSession(body)) {
      const full = sessionLimitReached(caller);
      if (full !== undefined) {
        logger.warn(`refused a session: ${full.reason}`, { caller: caller.id });
        jsonRpcError(response, full.status, -32000, full.message, { "retry-after": "60" });
        return;
      }
      let transport: StreamableHTTPServerTransport;
      try {
        transport = await openNewSession(caller);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn(`refused a session: ${reason}`, { caller: caller.id });
        jsonRpcError(
          response,
          403,
          -32001,
          `The vault refused a token for this session: ${reason}`,
        );
        return;
      }
      await transport.handleRequest(request, response, body);
      return;
    }
    jsonRpcError(response, 400, -32000, "Bad request: send initialize first, then Mcp-Session-Id");
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      logger.error(
        `HTTP request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent) jsonRpcError(response, 500, -32603, "Internal error");
      else response.end();
    });
  };
  const server: NodeServer =
    options.tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const listeningOrigin = `${options.tls === undefined ? "http" : "https"}://${originHost(host)}:${actualPort}`;
  if (publicOrigin === "") publicOrigin = listeningOrigin;

  const idleTimeout = options.sessionIdleTimeoutMs ?? 3_600_000;
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, open] of sessions) {
        if (open.inFlight === 0 && now - open.lastSeen > idleTimeout) void closeSession(id);
      }
    },
    Math.min(idleTimeout, 60_000),
  );
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url: `${listeningOrigin}${MCP_PATH}`,
    port: actualPort,
    sessionCount: () => sessions.size,
    close: () => {
      closing ??= (async () => {
        clearInterval(sweeper);
        await Promise.all([...sessions.keys()].map(closeSession));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
