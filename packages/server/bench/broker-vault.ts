// Child entry: a vault (SQLite in its data folder) with one broker route, "stub", to the
// benchmark's upstream; options { dataDir, upstream } in BENCH_CHILD_OPTIONS (see bench-child.ts).
import { startServer } from "../src/start-server.js";
import { answerStats, childOptions, type ReadyMessage } from "./bench-child.js";

const options = childOptions<{ dataDir: string; upstream: string }>();
// Limits far above what a run sends: a benchmark of 429s would measure the limiter.
const unlimited = { points: 1_000_000_000, durationSeconds: 60 };
const server = await startServer({
  port: 0,
  dataDir: options.dataDir,
  logger: false,
  env: {},
  rateLimits: { perCredential: unlimited, writes: unlimited, failedAuth: unlimited },
  broker: {
    routes: [
      {
        name: "stub",
        upstream: options.upstream,
        secretPath: "bench/broker/key",
        header: "Authorization: Bearer {value}",
      },
    ],
  },
});
answerStats(() => 0);
process.send?.({
  type: "ready",
  url: server.url,
  agentKey: server.firstStart?.agentKey ?? null,
  adminKey: server.firstStart?.adminKey ?? null,
} satisfies ReadyMessage);
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
