import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { FastifyInstance } from "fastify";
import type { FirstStartCredentials } from "./server-config.js";

/** A request made without a socket by {@link VaultServer.inject}. */
export type InjectRequest = {
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
  /** Path and query, such as `/v1/secrets/production/openai/api-key?version=2`. */
  url: string;
  headers?: Record<string, string | string[] | undefined>;
  /** A string or bytes as sent; an object is sent as JSON. */
  payload?: string | Buffer | object;
  /** The client address the request seems to come from (default 127.0.0.1). */
  remoteAddress?: string;
};

/** The answer to an {@link InjectRequest}. */
export type InjectedResponse = {
  statusCode: number;
  /** Header names in lower case; a number (content-length) as its text. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text. */
  body: string;
  /** The body parsed as JSON (typed by the caller, as light-my-request's own `json()` is). */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads fields of the answers it expects.
  json<T = any>(): T;
};

/**
 * The embedded vault server {@link createServer} returns: serve it on a socket with `listen()`, or
 * send it requests without one with `inject()` (tests); `close()` waits for requests in flight,
 * then closes the database. Its routes, hooks and guard are fixed: nothing can be added to it.
 */
export type VaultServer = {
  /** Keys created because the database was empty (shown once), else null. */
  readonly firstStart: FirstStartCredentials | null;
  /** The Node HTTP(S) server underneath (its `address()` once listening). */
  readonly server: HttpServer | HttpsServer;
  /** Serves on `host` (default 127.0.0.1) and `port` (0: any free one); resolves with the URL. */
  listen(options?: { host?: string; port?: number }): Promise<string>;
  /** Handles one request without a socket. */
  inject(request: InjectRequest): Promise<InjectedResponse>;
  close(): Promise<void>;
};

/** The vault server over the Fastify app that implements it, which stays inside this package. */
export function vaultServerOf(
  app: FastifyInstance,
  firstStart: () => FirstStartCredentials | null,
): VaultServer {
  return {
    get firstStart() {
      return firstStart();
    },
    get server() {
      return app.server;
    },
    listen: (options = {}) =>
      app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }),
    inject: async (request) => {
      const response = await app.inject(request);
      return {
        statusCode: response.statusCode,
        headers: textHeaders(response.headers),
        body: response.body,
        json: <T>() => response.json() as T,
      };
    },
    close: () => app.close(),
  };
}

function textHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string | string[] | undefined> {
  const text: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    text[name] = typeof value === "number" ? String(value) : value;
  }
  return text;
}
