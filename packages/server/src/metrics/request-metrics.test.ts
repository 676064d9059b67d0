import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RequestMetrics } from "./request-metrics.js";

const ANSWERS = [
  { method: "GET", route: "/v1/secrets/*", statusCode: 200, seconds: 0.0004 },
  { method: "GET", route: "/v1/secrets/*", statusCode: 200, seconds: 0.003 },
  { method: "PUT", route: "/v1/secrets/*", statusCode: 201, seconds: 0.02 },
  { method: "GET", route: "/v1/secrets/*", statusCode: 401, seconds: 0.001 },
  { method: "GET", route: "unmatched", statusCode: 404, seconds: 0.0025 },
  { method: "GET", route: "/v1/approvals/:id", statusCode: 200, seconds: 45 },
  { method: "GET", route: "/v1/approvals/:id", statusCode: 200, seconds: 90 },
  { method: "GET", route: "/v1/secrets/*", statusCode: 200, seconds: 0.25 },
];

/** The same figures through prom-client's own counter and histogram. */
function promClientRegistry(): Registry {
  const registry = new Registry();
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({
    name: "ass_http_requests_total",
    help: "HTTP requests answered, by method, route template and status code",
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "ass_http_request_duration_seconds",
    help: "Time to answer an HTTP request, in seconds, by method, route template and status code",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  for (const answer of ANSWERS) {
    const labels = {
      method: answer.method,
      route: answer.route,
      status_code: String(answer.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, answer.seconds);
  }
  return registry;
}

describe("RequestMetrics", () => {
  it("writes the text exposition prom-client's own counter and histogram write for the same answers", async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry);
    for (const answer of ANSWERS) {
      metrics.observe(answer.method, answer.route, answer.statusCode, answer.seconds);
    }
    const text = await registry.metrics();
    expect(text).toContain(
      'ass_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/secrets/*",status_code="200"} 2',
    );
    expect(text).toContain(
      'ass_http_requests_total{method="GET",route="/v1/approvals/:id",status_code="200"} 2',
    );
    expect(text).toBe(await promClientRegistry().metrics());
  });

  it("gives the same figures as JSON, each value's labels merged (exemplars aside, which it has none of)", async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry);
    for (const answer of ANSWERS) {
      metrics.observe(answer.method, answer.route, answer.statusCode, answer.seconds);
    }
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry["getMetricsAsJSON"]>>) =>
      metrics.map((metric) => ({
        ...metric,
        values: metric.values.map((value) => {
          const { exemplar: _exemplar, ...rest } = value as typeof value & { exemplar?: unknown };
          return rest;
        }),
      }));
    expect(withoutExemplars(await registry.getMetricsAsJSON())).toEqual(
      withoutExemplars(await promClientRegistry().getMetricsAsJSON()),
    );
  });

  it("adds up across scrapes without counting anything twice", async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(registry);
    metrics.observe("GET", "/v1/health", 200, 0.0001);
    await registry.metrics();
    metrics.observe("GET", "/v1/health", 200, 0.0001);
    const text = await registry.metrics();
    expect(text).toContain(
      'ass_http_requests_total{method="GET",route="/v1/health",status_code="200"} 2',
    );
    expect(text).toContain(
      'ass_http_request_duration_seconds_count{method="GET",route="/v1/health",status_code="200"} 2',
    );
  });
});
