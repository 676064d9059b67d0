import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the echo server received. */
export interface EchoedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * A loopback HTTP API that answers every request with a JSON echo of it, headers included, so
 * that a credential `call_api_with_secret` sent comes straight back (and must arrive masked).
 */
export async function startEchoServer(): Promise<{
  origin: string;
  requests: EchoedRequest[];
  close(): Promise<void>;
}> {
  const requests: EchoedRequest[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const echoed = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
      };
      requests.push(echoed);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(echoed));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
