import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the echo server received. */
export interface EchoedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A loopback HTTP server that answers every request with a JSON echo of it (so a test can see
 * whether a credential that went out comes back masked). `/redirect` answers 302 to another
 * host; `/large` answers with a long body.
 */
export async function startEchoServer(): Promise<{
  origin: string;
  requests: EchoedRequest[];
  close(): Promise<void>;
}> {
  const requests: EchoedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const echoed: EchoedRequest = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(echoed);
      if (request.url?.startsWith("/redirect") === true) {
        response.writeHead(302, { location: "http://elsewhere.invalid/steal" });
        response.end();
        return;
      }
      if (request.url?.startsWith("/large") === true) {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("x".repeat(50_000));
        return;
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(echoed));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
