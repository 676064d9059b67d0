// One vault instance in a process of its own, for bench/instances.ts:
//   node --import tsx bench/run-instance.ts <dataDir>
// startServer options come as JSON in ASS_BENCH_SERVER_OPTIONS (the environment, so that a
// master key never shows in the process list). Prints {baseUrl, agentKey} once listening.
import { type StartServerOptions, startServer } from "../src/start-server.js";

const dataDir = process.argv[2] ?? ".ass-bench";
const options = JSON.parse(process.env.ASS_BENCH_SERVER_OPTIONS ?? "{}") as StartServerOptions;
const server = await startServer({ port: 0, dataDir, logger: false, env: {}, ...options });
process.stdout.write(
  `${JSON.stringify({ baseUrl: server.baseUrl, agentKey: server.firstStart?.agentKey ?? null })}\n`,
);
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
