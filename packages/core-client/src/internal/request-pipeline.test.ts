import { describe, expect, it, vi } from "vitest";
import {
  AgentVaultAbortError,
  AgentVaultApprovalPendingError,
  AgentVaultNetworkError,
  AgentVaultNotFoundError,
  AgentVaultRateLimitError,
  AgentVaultServerError,
  AgentVaultTimeoutError,
} from "../errors.js";
import type { Logger } from "../logger.js";
import { type PipelineConfig, RequestPipeline } from "./request-pipeline.js";
import type { FetchFunction } from "./send-with-timeout.js";

type Answer = Response | Error | (() => Promise<Response>);

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": `req-${status}`, ...headers },
  });
}

/** A fetch that gives the scripted answers in order and records every call. */
function scriptedFetch(...answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchFunction = async (url, init) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (answer === undefined) throw new Error("unexpected extra request");
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer() : answer;
  };
  const header = (index: number, name: string) =>
    (calls[index]!.init.headers as Record<string, string>)[name];
  return { fetch, calls, header };
}

function pipeline(fetch: FetchFunction, overrides: Partial<PipelineConfig> = {}) {
  const sleeps: number[] = [];
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const instance = new RequestPipeline({
    baseUrl: "http://127.0.0.1:4010/v1",
    fetch,
    timeout: 1000,
    retries: 3,
    logger,
    credential: (override) => override ?? "ass_live_fake-key",
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { pipeline: instance, sleeps, logger };
}

const refused = () =>
  new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) });

describe("RequestPipeline: success", () => {
  it("resolves with the decoded body and request id", async () => {
    const { fetch } = scriptedFetch(json(200, { ok: true }));
    const response = await pipeline(fetch).pipeline.send({ method: "GET", path: "/health" });
    expect(response.body).toEqual({ ok: true });
    expect(response.requestId).toBe("req-200");
  });

  it("treats 204 as success with a null body", async () => {
    const { fetch } = scriptedFetch(new Response(null, { status: 204 }));
    const response = await pipeline(fetch).pipeline.send({ method: "DELETE", path: "/secrets/a" });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("uses the per-call token instead of the client's credential", async () => {
    const { fetch, header } = scriptedFetch(json(200, {}));
    await pipeline(fetch).pipeline.send({ method: "GET", path: "/x", token: "ast_tok_child" });
    expect(header(0, "authorization")).toBe("Bearer ast_tok_child");
  });

  it("turns a 202 into ApprovalPendingError unless the call accepts pending answers", async () => {
    const pending = () =>
      json(202, { error: { code: "APPROVAL_PENDING", approval_request_id: "apr_1" } });
    const { fetch } = scriptedFetch(pending(), pending());
    const { pipeline: instance } = pipeline(fetch);
    await expect(instance.send({ method: "GET", path: "/secrets/a" })).rejects.toBeInstanceOf(
      AgentVaultApprovalPendingError,
    );
    const accepted = await instance.send({ method: "POST", path: "/tokens", acceptPending: true });
    expect(accepted.status).toBe(202);
  });
});

describe("RequestPipeline: retries", () => {
  it.each([
    ["a refused connection", refused()],
    ["a 500", json(500, { error: { code: "INTERNAL" } })],
    ["a 503", json(503, null)],
    ["a 408", json(408, null)],
    ["a 429", json(429, { error: { code: "RATE_LIMITED" } })],
  ])("retries after %s and succeeds", async (_, failure) => {
    const { fetch, calls } = scriptedFetch(failure, json(200, { ok: true }));
    const { pipeline: instance, sleeps } = pipeline(fetch);
    await expect(instance.send({ method: "GET", path: "/x" })).resolves.toMatchObject({
      status: 200,
    });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([250]); // full jitter: random 0.5 × 500 ms
  });

  it("backs off exponentially between attempts", async () => {
    const { fetch } = scriptedFetch(refused(), refused(), refused(), json(200, {}));
    const { pipeline: instance, sleeps } = pipeline(fetch);
    await instance.send({ method: "GET", path: "/x" });
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it("gives up after `retries` retries with the last error", async () => {
    const { fetch, calls } = scriptedFetch(
      json(503, null),
      json(503, null),
      json(503, null),
      json(503, { error: { code: "INTERNAL" } }),
    );
    await expect(
      pipeline(fetch).pipeline.send({ method: "GET", path: "/x" }),
    ).rejects.toBeInstanceOf(AgentVaultServerError);
    expect(calls).toHaveLength(4);
  });

  it("does not retry with retries: 0", async () => {
    const { fetch, calls } = scriptedFetch(json(503, null));
    await expect(
      pipeline(fetch, { retries: 0 }).pipeline.send({ method: "GET", path: "/x" }),
    ).rejects.toBeInstanceOf(AgentVaultServerError);
    expect(calls).toHaveLength(1);
  });

  it("does not retry a 404", async () => {
    const { fetch, calls } = scriptedFetch(json(404, { error: { code: "SECRET_NOT_FOUND" } }));
    await expect(
      pipeline(fetch).pipeline.send({ method: "GET", path: "/x" }),
    ).rejects.toBeInstanceOf(AgentVaultNotFoundError);
    expect(calls).toHaveLength(1);
  });

  it("waits for Retry-After given in seconds", async () => {
    const { fetch } = scriptedFetch(json(429, null, { "retry-after": "7" }), json(200, {}));
    const { pipeline: instance, sleeps } = pipeline(fetch);
    await instance.send({ method: "GET", path: "/x" });
    expect(sleeps).toEqual([7000]);
  });

  it("waits for Retry-After given as an HTTP-date", async () => {
    const now = Date.parse("2026-01-15T10:30:00.000Z");
    const { fetch } = scriptedFetch(
      json(503, null, { "retry-after": "Thu, 15 Jan 2026 10:30:03 GMT" }),
      json(200, {}),
    );
    const { pipeline: instance, sleeps } = pipeline(fetch, { now: () => now });
    await instance.send({ method: "GET", path: "/x" });
    expect(sleeps).toEqual([3000]);
  });

  it("caps Retry-After at 60 s and reports the server's full value on the error", async () => {
    const limited = () => json(429, { error: { code: "RATE_LIMITED" } }, { "retry-after": "3600" });
    const { fetch } = scriptedFetch(limited(), limited());
    const { pipeline: instance, sleeps } = pipeline(fetch, { retries: 1 });
    const error = await instance.send({ method: "GET", path: "/x" }).catch((caught) => caught);
    expect(sleeps).toEqual([60_000]);
    expect(error).toBeInstanceOf(AgentVaultRateLimitError);
    expect((error as AgentVaultRateLimitError).retryAfter).toBe(3600);
  });

  it("sends the same Idempotency-Key on every retry of one write", async () => {
    const { fetch, header } = scriptedFetch(refused(), json(500, null), json(201, { path: "a" }));
    await pipeline(fetch).pipeline.send({
      method: "PUT",
      path: "/secrets/a",
      body: { value: "v" },
    });
    const keys = [0, 1, 2].map((index) => header(index, "idempotency-key"));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it("sends a different Idempotency-Key for each call", async () => {
    const { fetch, header } = scriptedFetch(json(201, {}), json(201, {}));
    const { pipeline: instance } = pipeline(fetch);
    await instance.send({ method: "PUT", path: "/secrets/a", body: { value: "v" } });
    await instance.send({ method: "PUT", path: "/secrets/a", body: { value: "v" } });
    expect(header(0, "idempotency-key")).not.toBe(header(1, "idempotency-key"));
  });
});

describe("RequestPipeline: timeouts and aborts", () => {
  it("times an attempt out and retries it", async () => {
    const never = () => new Promise<Response>(() => {});
    const { fetch, calls } = scriptedFetch(never, json(200, { ok: true }));
    const { pipeline: instance } = pipeline(fetch, { timeout: 20 });
    await expect(instance.send({ method: "GET", path: "/x" })).resolves.toMatchObject({
      status: 200,
    });
    expect(calls).toHaveLength(2);
  });

  it("rejects with a timeout error naming the limit when every attempt times out", async () => {
    const never = () => new Promise<Response>(() => {});
    const { fetch } = scriptedFetch(never, never);
    const { pipeline: instance } = pipeline(fetch, { timeout: 20, retries: 1 });
    const error = await instance.send({ method: "GET", path: "/x" }).catch((caught) => caught);
    expect(error).toBeInstanceOf(AgentVaultTimeoutError);
    expect(error).toBeInstanceOf(AgentVaultNetworkError);
    expect((error as Error).message).toContain("within 20 ms");
  });

  it("counts a body that stalls as a timeout", async () => {
    const stalled = async () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    const { fetch } = scriptedFetch(stalled);
    const { pipeline: instance } = pipeline(fetch, { timeout: 20, retries: 0 });
    await expect(instance.send({ method: "GET", path: "/x" })).rejects.toBeInstanceOf(
      AgentVaultTimeoutError,
    );
  });

  it("rejects promptly on the caller's abort and never retries it", async () => {
    const controller = new AbortController();
    const hanging = () => {
      setTimeout(() => controller.abort(), 5);
      return new Promise<Response>(() => {}); // a fetch that ignores its signal
    };
    const { fetch, calls } = scriptedFetch(hanging, json(200, {}));
    const { pipeline: instance, sleeps } = pipeline(fetch, { timeout: 60_000 });
    await expect(
      instance.send({ method: "POST", path: "/tokens", signal: controller.signal }),
    ).rejects.toBeInstanceOf(AgentVaultAbortError);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("does not start when the signal already fired", async () => {
    const { fetch, calls } = scriptedFetch(json(200, {}));
    const controller = new AbortController();
    controller.abort();
    await expect(
      pipeline(fetch).pipeline.send({ method: "PUT", path: "/x", signal: controller.signal }),
    ).rejects.toBeInstanceOf(AgentVaultAbortError);
    expect(calls).toHaveLength(0);
  });

  it("stops waiting between retries when the caller aborts", async () => {
    const controller = new AbortController();
    const { fetch, calls } = scriptedFetch(json(503, null), json(200, {}));
    const { pipeline: instance } = pipeline(fetch, {
      sleep: (_milliseconds, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
          controller.abort();
        }),
    });
    await expect(
      instance.send({ method: "GET", path: "/x", signal: controller.signal }),
    ).rejects.toBeInstanceOf(AgentVaultAbortError);
    expect(calls).toHaveLength(1);
  });

  it("aborts everything in flight when the client closes", async () => {
    const closer = new AbortController();
    const never = () => new Promise<Response>(() => {});
    const { fetch } = scriptedFetch(never);
    const { pipeline: instance } = pipeline(fetch, { closeSignal: closer.signal, timeout: 60_000 });
    const pending = instance.send({ method: "PUT", path: "/x" });
    closer.abort();
    await expect(pending).rejects.toBeInstanceOf(AgentVaultAbortError);
  });
});

describe("RequestPipeline: single-flight", () => {
  it("sends one request for concurrent identical GETs", async () => {
    const { fetch, calls } = scriptedFetch(json(200, { n: 1 }));
    const { pipeline: instance } = pipeline(fetch);
    const [first, second] = await Promise.all([
      instance.send({ method: "GET", path: "/secrets/a" }),
      instance.send({ method: "GET", path: "/secrets/a" }),
    ]);
    expect(calls).toHaveLength(1);
    expect(first.body).toEqual(second.body);
  });

  it("keeps reads with different credentials apart", async () => {
    const { fetch, calls } = scriptedFetch(json(200, {}), json(200, {}));
    const { pipeline: instance } = pipeline(fetch);
    await Promise.all([
      instance.send({ method: "GET", path: "/secrets/a" }),
      instance.send({ method: "GET", path: "/secrets/a", token: "ast_tok_other" }),
    ]);
    expect(calls).toHaveLength(2);
  });

  it("never merges writes", async () => {
    const { fetch, calls } = scriptedFetch(json(200, {}), json(200, {}));
    const { pipeline: instance } = pipeline(fetch);
    await Promise.all([
      instance.send({ method: "PUT", path: "/secrets/a", body: { value: "1" } }),
      instance.send({ method: "PUT", path: "/secrets/a", body: { value: "1" } }),
    ]);
    expect(calls).toHaveLength(2);
  });
});

describe("RequestPipeline: logging", () => {
  it("logs one debug line per attempt without credentials", async () => {
    const { fetch } = scriptedFetch(json(503, null), json(200, {}));
    const { pipeline: instance, logger } = pipeline(fetch);
    await instance.send({ method: "GET", path: "/secrets/a", token: "ast_tok_child-cred" });
    const calls = vi.mocked(logger.debug).mock.calls;
    expect(calls).toHaveLength(2);
    expect(calls[0]?.[1]).toMatchObject({
      method: "GET",
      path: "/v1/secrets/a",
      status: 503,
      attempt: 1,
      requestId: "req-503",
    });
    expect(calls[1]?.[1]).toMatchObject({ status: 200, attempt: 2 });
    expect(typeof calls[0]?.[1]?.durationMs).toBe("number");
    expect(JSON.stringify(calls)).not.toContain("ast_tok_child-cred");
  });
});
