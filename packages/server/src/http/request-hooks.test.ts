import { Writable } from "node:stream";
import Fastify, { LogController } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createVaultMetrics } from "../metrics/vault-metrics.js";
import { fastifyLoggerOptions, requestLineLogger } from "./logging.js";
import { installRequestHooks } from "./request-hooks.js";
import { requestIdFor } from "./request-id.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An app with the server's logger options and request hooks, logging into `lines`. */
async function appLoggingTo(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const setting = { stream };
  const app = Fastify({
    ...fastifyLoggerOptions(setting),
    genReqId: requestIdFor,
    requestIdHeader: false,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const closing = new AbortController();
  installRequestHooks(app, {
    metrics: createVaultMetrics({ pendingApprovals: async () => [] }),
    closing: closing.signal,
    requestLog: requestLineLogger(app.log, setting),
  });
  app.get("/v1/tokens/:id", async (request) => {
    request.log.warn({ body: { value: "canary-value-logged" } }, "a route's own line");
    return { ok: true };
  });
  close = () => app.close();
  return app;
}

describe("the request line", () => {
  it("is one info line per request with its id, method, masked URL, status and duration", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await appLoggingTo(lines);
    const response = await app.inject({
      method: "GET",
      url: `/v1/tokens/ast_tok_${"x".repeat(24)}`,
      headers: { "x-request-id": "req-test-1" },
    });
    expect(response.headers["x-request-id"]).toBe("req-test-1");
    const requestLines = lines.filter((line) => line.msg === "request completed");
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: "req-test-1",
        method: "GET",
        url: "/v1/tokens/ast_tok_[redacted]",
        statusCode: 200,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it("leaves every other line redacted by the wildcard paths too", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = await appLoggingTo(lines);
    await app.inject({ method: "GET", url: "/v1/tokens/tok_1" });
    const own = lines.find((line) => line.msg === "a route's own line");
    expect(own).toMatchObject({ reqId: expect.any(String), body: { value: "[redacted]" } });
    expect(JSON.stringify(lines)).not.toContain("canary-value-logged");
  });

  it("is not written when the server does not log", () => {
    expect(requestLineLogger(Fastify().log, false)).toBeNull();
    expect(requestLineLogger(Fastify().log, undefined)).toBeNull();
  });
});
