import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One delivery as the receiver got it: headers and the raw body, before any parsing. */
export type Delivery = { headers: IncomingHttpHeaders; rawBody: string };

/** A webhook receiver on 127.0.0.1 that records every delivery and answers `status`. */
export type WebhookReceiver = {
  url: string;
  deliveries: Delivery[];
  /** Resolves once at least `count` deliveries arrived. */
  received(count: number): Promise<Delivery[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(status = 204): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      deliveries.push({
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(status).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/approvals`,
    deliveries,
    async received(count) {
      while (deliveries.length < count) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return deliveries;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
