// Secret reads per second over loopback, beside a bare Fastify route returning constant JSON,
// measured in the same run. Not a test: numbers depend on the machine.
//   pnpm --filter @agentsecretstore/server bench      (BENCH_SECONDS=10 to run longer)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Fastify from "fastify";
import { startServer } from "../src/start-server.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function measure(title: string, url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ title, url, headers, connections, duration: seconds });
  const non2xx = result.non2xx + result.errors;
  if (non2xx > 0) throw new Error(`${title}: ${non2xx} requests failed; the numbers would lie`);
  return { title, requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

const dataDir = await mkdtemp(join(tmpdir(), "ass-bench-"));
// Limits far above what the run sends: a benchmark measures reads, not the 429 path.
const unlimited = { points: 1_000_000_000, durationSeconds: 60 };
const vault = await startServer({
  port: 0,
  dataDir,
  logger: false,
  env: {},
  rateLimits: { perCredential: unlimited, failedAuth: unlimited },
});
const bare = Fastify({ logger: false });
bare.get("/constant", async () => ({ status: "ok", items: [] }));
await bare.listen({ host: "127.0.0.1", port: 0 });

try {
  const agentKey = vault.firstStart?.agentKey ?? "";
  const put = await fetch(`${vault.baseUrl}/secrets/bench/openai/api-key`, {
    method: "PUT",
    headers: { authorization: `Bearer ${agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ value: "bench-fake-value-0123456789abcdef" }),
  });
  if (put.status !== 201) throw new Error(`seeding failed with ${put.status}`);

  const address = bare.server.address();
  const barePort = typeof address === "object" && address ? address.port : 0;
  const baseline = await measure(
    "bare fastify constant JSON",
    `http://127.0.0.1:${barePort}/constant`,
  );
  const reads = await measure(
    "vault secret read",
    `${vault.baseUrl}/secrets/bench/openai/api-key`,
    {
      authorization: `Bearer ${agentKey}`,
    },
  );

  const rows = [baseline, reads].map((row) => ({
    route: row.title,
    "requests/s": Math.round(row.requestsPerSecond),
    "p99 ms": row.p99Ms,
  }));
  console.table(rows);
  console.log(
    `secret reads run at ${((reads.requestsPerSecond / baseline.requestsPerSecond) * 100).toFixed(1)}% of the bare route ` +
      `(ratio ${(reads.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}; ${connections} connections, ${seconds}s each)`,
  );
} finally {
  await bare.close();
  await vault.close();
  await rm(dataDir, { recursive: true, force: true });
}
