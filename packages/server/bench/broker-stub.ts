// Child entry: the upstream of the broker benchmark, a bare node:http server answering every
// request with the same 11 bytes (what a direct call and a brokered call both reach), except
// /v1/stream: a server-sent event at once, a second one STREAM_PAUSE_MS later (time to first byte).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { answerStats, type ReadyMessage } from "./bench-child.js";

/** How long /v1/stream holds its second event back: a first byte that waits for it is not streamed. */
const STREAM_PAUSE_MS = 50;

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (request.url === "/v1/stream") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n");
      setTimeout(() => response.end("data: last\n\n"), STREAM_PAUSE_MS);
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  answerStats(() => 0);
  process.send?.({
    type: "ready",
    url: `http://127.0.0.1:${port}`,
    agentKey: null,
    adminKey: null,
  } satisfies ReadyMessage);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
