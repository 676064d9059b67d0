import { once } from "node:events";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** One request as an upstream stub received it. */
export type SeenRequest = {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
};

/** A recording upstream: what reached it, its origin, and how to stop it. */
export type UpstreamStub = {
  origin: string;
  seen: SeenRequest[];
  /** Everything the stub received, as one string (to look for a value or a token in). */
  saw(): string;
  close(): Promise<void>;
};

type Answer = (request: SeenRequest, response: ServerResponse) => void;

/** By default: 200 with `{"ok":true,"path":…}` as JSON. */
const ANSWER_OK: Answer = (request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ ok: true, path: new URL(request.url, "http://stub").pathname }));
};

/**
 * An upstream stub on a free loopback port that records every request (method, URL, headers,
 * body) before answering with `answer`. `tls` (a PEM key and certificate) makes it HTTPS.
 */
export async function startUpstreamStub(
  answer: Answer = ANSWER_OK,
  tls?: { key: string; cert: string },
): Promise<UpstreamStub> {
  const seen: SeenRequest[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(entry);
      answer(entry, response);
    });
  };
  const server: Server = tls === undefined ? createServer(handle) : createHttpsServer(tls, handle);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    seen,
    saw: () => JSON.stringify(seen),
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
