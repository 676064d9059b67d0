// The credential broker's overhead (issue 18): the same GET to a loopback stub, direct and
// through the vault's broker route, each process on its own (stub, vault, and this one making
// the load), sequentially so that the figure is latency, not throughput. Prints both means and
// their ratio; then time to the first byte of a streamed answer (a server-sent event at once, the
// next 50 ms later), direct and brokered: a broker that buffered would add the pause.
//
//   pnpm --filter @agentsecretstore/server exec node --conditions=source --import tsx bench/broker.ts [calls]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startBenchChild } from "./bench-child.js";

const calls = Number(process.argv[2] ?? 1000);
const WARM_UP = 100;

async function get(url: string, headers: Record<string, string> = {}): Promise<void> {
  const answer = await fetch(url, { headers });
  await answer.arrayBuffer();
  if (answer.status !== 200) throw new Error(`${url}: HTTP ${answer.status}`);
}

/** Mean milliseconds of `count` sequential calls, after a warm-up. */
async function meanMs(count: number, call: () => Promise<void>): Promise<number> {
  for (let index = 0; index < WARM_UP; index += 1) await call();
  const started = performance.now();
  for (let index = 0; index < count; index += 1) await call();
  return (performance.now() - started) / count;
}

/** Mean milliseconds to the first body chunk and to the end of `count` sequential streamed calls. */
async function streamTimes(
  count: number,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ firstByteMs: number; lastByteMs: number }> {
  let firstByteMs = 0;
  let lastByteMs = 0;
  for (let index = 0; index < count + WARM_UP / 10; index += 1) {
    const started = performance.now();
    const answer = await fetch(url, { headers });
    if (answer.status !== 200 || answer.body === null)
      throw new Error(`${url}: HTTP ${answer.status}`);
    const reader = answer.body.getReader();
    const first = await reader.read();
    const firstAt = performance.now() - started;
    if (first.done) throw new Error(`${url}: an empty stream`);
    while (!(await reader.read()).done) {}
    if (index < WARM_UP / 10) continue;
    firstByteMs += firstAt / count;
    lastByteMs += (performance.now() - started) / count;
  }
  return { firstByteMs, lastByteMs };
}

const dataDir = await mkdtemp(join(tmpdir(), "ass-bench-broker-"));
const stub = await startBenchChild("broker-stub.ts", {});
const vault = await startBenchChild("broker-vault.ts", { dataDir, upstream: stub.url });
try {
  const admin = { authorization: `Bearer ${vault.adminKey}`, "content-type": "application/json" };
  const put = await fetch(`${vault.url}/v1/secrets/bench/broker/key`, {
    method: "PUT",
    headers: admin,
    body: JSON.stringify({ value: `bench-${"k".repeat(24)}` }),
  });
  if (put.status !== 201) throw new Error(`storing the key: HTTP ${put.status}`);
  const minted = await fetch(`${vault.url}/v1/tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${vault.agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ scope: "secrets:use:bench/broker/*", ttl_seconds: 3600 }),
  });
  const { token } = (await minted.json()) as { token: string };
  const direct = await meanMs(calls, () => get(`${stub.url}/v1/items`));
  const brokered = await meanMs(calls, () =>
    get(`${vault.url}/v1/broker/stub/v1/items`, { authorization: `Bearer ${token}` }),
  );
  console.log(
    `broker overhead, ${calls} sequential GETs each (after ${WARM_UP} to warm up), SQLite: ` +
      `direct ${direct.toFixed(2)} ms a call, through the broker ${brokered.toFixed(2)} ms ` +
      `(×${(brokered / direct).toFixed(1)}, +${(brokered - direct).toFixed(2)} ms)`,
  );
  const streams = Math.max(20, Math.round(calls / 10));
  const directStream = await streamTimes(streams, `${stub.url}/v1/stream`);
  const brokeredStream = await streamTimes(streams, `${vault.url}/v1/broker/stub/v1/stream`, {
    authorization: `Bearer ${token}`,
  });
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(
    `streamed answer (an event at once, the next 50 ms later), ${streams} sequential calls each: ` +
      `first byte direct ${ms(directStream.firstByteMs)}, through the broker ${ms(brokeredStream.firstByteMs)} ` +
      `(×${(brokeredStream.firstByteMs / directStream.firstByteMs).toFixed(1)}); ` +
      `last byte ${ms(directStream.lastByteMs)} and ${ms(brokeredStream.lastByteMs)}`,
  );
} finally {
  await vault.stop();
  await stub.stop();
  await rm(dataDir, { recursive: true, force: true });
}
