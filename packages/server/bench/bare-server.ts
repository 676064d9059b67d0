// Child entry: the baseline, a bare Fastify route answering a small constant JSON object, with
// Fastify's defaults (no logger, no hooks): what any route of the vault costs at the least.
import Fastify from "fastify";
import { answerStats, type ReadyMessage } from "./bench-child.js";

const app = Fastify({ logger: false });
app.get("/constant", async () => ({ status: "ok" }));
const url = await app.listen({ host: "127.0.0.1", port: 0 });
answerStats(() => 0);
process.send?.({ type: "ready", url, agentKey: null, adminKey: null } satisfies ReadyMessage);
process.once("SIGTERM", () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
