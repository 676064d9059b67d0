import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One delivery as the receiver got it: headers and the raw body, before any parsing. */
export type Delivery = { headers: IncomingHttpHeaders; rawBody: string };

/** How the receiver answers: a status, or `"hang"` (never answers; the sender times out). */
export type ReceiverMode = number | "hang";

/** A webhook receiver on 127.0.0.1 that records every delivery and answers `status`. */
export type WebhookReceiver = {
  url: string;
  /** Deliveries answered with a 2xx status, in arrival order. */
  deliveries: Delivery[];
  /** Every request that arrived, answered or not (hung, refused with a non-2xx status). */
  arrivals: Delivery[];
  /** Changes how later requests are answered. */
  setMode(mode: ReceiverMode): void;
  /** Resolves once at least `count` deliveries arrived. */
  received(count: number): Promise<Delivery[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(status: ReceiverMode = 204): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const arrivals: Delivery[] = [];
  const waiters: (() => void)[] = [];
  let mode = status;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const delivery = {
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
      };
      arrivals.push(delivery);
      if (mode === "hang") return;
      if (mode >= 200 && mode < 300) deliveries.push(delivery);
      response.writeHead(mode).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/approvals`,
    deliveries,
    arrivals,
    setMode(next) {
      mode = next;
    },
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
