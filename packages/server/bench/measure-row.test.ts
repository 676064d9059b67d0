import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { measureRow, type Target } from "./measure-row.js";

const QUICK = { connections: 2, warmupSeconds: 0, durationSeconds: 1, requestsPerRow: 20 };
let server: Server | undefined;

/** A loopback server answering every request with `status`, counting "queries" per request. */
async function target(status: () => number, queriesPerRequest = 2): Promise<Target> {
  let queries = 0;
  server = createServer((_request, response) => {
    queries += queriesPerRequest;
    response.writeHead(status(), { "content-type": "application/json" }).end("{}");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: async () => ({ queries, cpuMicros: queries * 100 }),
  };
}

afterEach(() => {
  server?.close();
});

describe("measureRow", () => {
  it("counts requests and the server's queries per request", async () => {
    const result = await measureRow(
      "ok",
      [await target(() => 200, 3)],
      { method: "GET", path: "/", expectedStatus: 200 },
      QUICK,
      true,
    );
    expect(result.requests).toBeGreaterThanOrEqual(20);
    expect(result.queriesPerRequest).toBe(3);
    expect(result.serverCpuMicrosPerRequest).toBe(300);
    expect(result.non2xx).toEqual({});
    expect(result.errors).toBe(0);
  });

  it("refuses to measure when the first answer is not the expected status", async () => {
    await expect(
      measureRow(
        "denied",
        [await target(() => 401)],
        { method: "GET", path: "/", expectedStatus: 200 },
        QUICK,
        true,
      ),
    ).rejects.toThrow(/denied: expected 200 from GET \/, got 401/);
  });

  it("counts answers that turn non-2xx during the load, by status", async () => {
    let answered = 0;
    const result = await measureRow(
      "degrading",
      [await target(() => (answered++ === 0 ? 200 : 429))],
      { method: "GET", path: "/", expectedStatus: 200 },
      QUICK,
      false,
    );
    expect(result.non2xx["429"]).toBe(result.requests);
    expect(result.queriesPerRequest).toBeNull();
  });
});
