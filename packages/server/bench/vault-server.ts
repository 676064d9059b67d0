// Child entry: one vault (startServer from the package's sources) with its query counter on.
//   options: { dataDir, databaseUrl?, masterKey?, writerThread? } in BENCH_CHILD_OPTIONS (see bench-child.ts)
import { enableQueryCounting, queriesExecuted } from "../src/db/query-counter.js";
import { startServer } from "../src/start-server.js";
import { answerStats, childOptions, type ReadyMessage } from "./bench-child.js";

type VaultChildOptions = {
  dataDir: string;
  databaseUrl?: string;
  masterKey?: string;
  writerThread?: boolean;
};

// Limits far above what a run sends: a benchmark of 429s would measure the limiter.
const unlimited = { points: 1_000_000_000, durationSeconds: 60 };

const options = childOptions<VaultChildOptions>();
enableQueryCounting();
const server = await startServer({
  port: 0,
  dataDir: options.dataDir,
  logger: false,
  env: options.masterKey === undefined ? {} : { ASS_MASTER_KEY: options.masterKey },
  rateLimits: { perCredential: unlimited, writes: unlimited, failedAuth: unlimited },
  ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  ...(options.writerThread === undefined ? {} : { sqliteWriterThread: options.writerThread }),
});
answerStats(queriesExecuted);
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
