// Child entry: the bare route of bare-server.ts behind the vault's per-request hooks (request
// id, shutdown check, metrics, `Connection: close` while closing) and its request-id and
// request-log options, nothing else: what those hooks cost a route beside the bare one.
import Fastify, { LogController } from "fastify";
import { installRequestHooks } from "../src/http/request-hooks.js";
import { requestIdFor } from "../src/http/request-id.js";
import { createVaultMetrics } from "../src/metrics/vault-metrics.js";
import { answerStats, type ReadyMessage } from "./bench-child.js";

const app = Fastify({
  logger: false,
  genReqId: requestIdFor,
  requestIdHeader: false,
  logController: new LogController({ disableRequestLogging: true }),
});
const closing = new AbortController();
installRequestHooks(app, {
  metrics: createVaultMetrics({ pendingApprovals: async () => [] }),
  closing: closing.signal,
  requestLog: null,
});
app.get("/constant", async () => ({ status: "ok" }));
const url = await app.listen({ host: "127.0.0.1", port: 0 });
answerStats(() => 0);
process.send?.({ type: "ready", url, agentKey: null, adminKey: null } satisfies ReadyMessage);
process.once("SIGTERM", () => {
  closing.abort();
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
