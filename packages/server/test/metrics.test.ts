import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/start-server.js";
import { metricValue } from "./helpers/server-process.js";
import { startServerDatabase } from "./helpers/test-database.js";
import {
  bearer,
  createAgent,
  createTestServer,
  getWith,
  putSecret,
  requestToken,
  type TestServer,
} from "./helpers/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

/** Scrapes with the first start's metrics token unless other headers are given. */
async function scrape(
  test: TestServer,
  headers: Record<string, string> = bearer(test.metricsToken),
) {
  return test.app.inject({ method: "GET", url: "/metrics", headers });
}

describe("GET /metrics", () => {
  it("counts requests by route template and status, with latencies, token uses and pending approvals by tier", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    const test = server;
    await putSecret(test, test.agentKey, "prod/db/password", { value: "canary-value-metrics-1" });
    await putSecret(test, test.agentKey, "prod/payments/key", {
      value: "canary-value-metrics-2",
      tier: "sensitive",
    });
    const token = await requestToken(test, test.agentKey, {
      scope: "secrets:read:prod/db/*",
      max_uses: 1,
    });
    expect((await getWith(test, token.body.token, "/v1/secrets/prod/db/password")).statusCode).toBe(
      200,
    );
    expect((await getWith(test, token.body.token, "/v1/secrets/prod/db/password")).statusCode).toBe(
      401,
    );
    expect((await getWith(test, test.agentKey, "/v1/secrets/prod/payments/key")).statusCode).toBe(
      202,
    );
    await getWith(test, test.agentKey, "/no/such/route");

    const response = await scrape(test);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const requests = (labels: Record<string, string>) =>
      metricValue(text, "ass_http_requests_total", labels);
    expect(requests({ method: "PUT", route: "/v1/secrets/*", status_code: "201" })).toBe(2);
    expect(requests({ method: "GET", route: "/v1/secrets/*", status_code: "200" })).toBe(1);
    expect(requests({ method: "GET", route: "/v1/secrets/*", status_code: "401" })).toBe(1);
    expect(requests({ route: "unmatched", status_code: "404" })).toBe(1);
    expect(
      metricValue(text, "ass_http_request_duration_seconds_count", {
        method: "PUT",
        route: "/v1/secrets/*",
      }),
    ).toBe(2);
    expect(text).toContain('ass_http_request_duration_seconds_bucket{le="0.005"');
    expect(metricValue(text, "ass_token_uses_total", { outcome: "consumed" })).toBe(1);
    expect(metricValue(text, "ass_approvals_pending", { tier: "sensitive" })).toBe(1);
    expect(metricValue(text, "ass_approvals_pending", { tier: "critical" })).toBe(0);
    // Labels name route templates, never the paths or credentials of requests.
    for (const needle of ["prod/db", "payments", "canary-value", test.agentKey, token.body.token]) {
      expect(text).not.toContain(needle);
    }
  });

  it("stops counting a request as pending once it expires", async () => {
    server = await createTestServer({
      metrics: { processMetrics: false },
      approvals: { requestTtlSeconds: 60 },
    });
    const test = server;
    await putSecret(test, test.agentKey, "prod/key", { value: "canary-value-m", tier: "critical" });
    await getWith(test, test.agentKey, "/v1/secrets/prod/key");
    const pending = async () =>
      metricValue((await scrape(test)).body, "ass_approvals_pending", { tier: "critical" });
    expect(await pending()).toBe(1);
    test.clock.advance(61);
    expect(await pending()).toBe(0);
  });

  it("adds the process metrics unless told not to", async () => {
    server = await createTestServer();
    expect((await scrape(server)).body).toContain("process_cpu_seconds_total");
  });

  it("asks for the metrics token when one is configured", async () => {
    server = await createTestServer({ metrics: { token: "metrics-token-for-tests-only" } });
    expect((await scrape(server, {})).statusCode).toBe(401);
    // The configured token replaces the first start's.
    expect((await scrape(server)).statusCode).toBe(401);
    const wrong = await scrape(server, { authorization: "Bearer metrics-token-for-tests-onlx" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("UNAUTHORIZED");
    expect(wrong.body).not.toContain("metrics-token-for-tests-only");
    const right = await scrape(server, { authorization: "Bearer metrics-token-for-tests-only" });
    expect(right.statusCode).toBe(200);
  });

  it("is not rate limited and not part of the API's OpenAPI document", async () => {
    server = await createTestServer({
      rateLimits: { failedAuth: { points: 1, durationSeconds: 60 } },
      metrics: { processMetrics: false },
    });
    for (let index = 0; index < 5; index += 1) {
      const response = await scrape(server);
      expect(response.statusCode).toBe(200);
      expect(response.headers["ratelimit-limit"]).toBeUndefined();
    }
    const document = (await server.app.inject({ method: "GET", url: "/v1/openapi.json" })).json();
    expect(Object.keys(document.paths)).not.toContain("/metrics");
  });

  it("asks for the metrics token made at first start by default, which opens nothing else", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    expect(server.metricsToken).toMatch(/^ass_metrics_[A-Za-z0-9_-]{43}$/);
    const bare = await scrape(server, {});
    expect(bare.statusCode).toBe(401);
    expect(bare.json().error.message).toContain("ASS_METRICS_TOKEN");
    expect(bare.body).not.toContain("ass_http_requests_total");
    const wrong = await scrape(server, bearer(server.adminKey));
    expect(wrong.statusCode).toBe(401);
    expect((await scrape(server)).statusCode).toBe(200);
    const api = await getWith(server, server.metricsToken, "/v1/me");
    expect(api.statusCode).toBe(401);
    expect(api.body).not.toContain(server.metricsToken);
  });

  it("is served without a token when metrics.public is set", async () => {
    server = await createTestServer({ metrics: { public: true, processMetrics: false } });
    const response = await scrape(server, {});
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("ass_http_requests_total");
  });

  it("counts only the operator tenant's pending approvals, never another tenant's", async () => {
    server = await createTestServer({ metrics: { processMetrics: false } });
    const test = server;
    const created = await test.app.inject({
      method: "POST",
      url: "/v1/tenants",
      headers: bearer(test.adminKey),
      payload: { name: "other" },
    });
    expect(created.statusCode).toBe(201);
    const other = { ...test, adminKey: created.json().admin_key as string };
    const { agentKey: otherAgent } = await createAgent(other, ["secrets:*:*"]);
    for (const path of ["other/a", "other/b"]) {
      await putSecret(test, otherAgent, path, { value: "canary-value-other", tier: "critical" });
      expect((await getWith(test, otherAgent, `/v1/secrets/${path}`)).statusCode).toBe(202);
    }
    const pending = async (tier: string) =>
      metricValue((await scrape(test)).body, "ass_approvals_pending", { tier });
    expect(await pending("critical")).toBe(0);
    await putSecret(test, test.agentKey, "mine/a", {
      value: "canary-value-mine",
      tier: "critical",
    });
    expect((await getWith(test, test.agentKey, "/v1/secrets/mine/a")).statusCode).toBe(202);
    expect(await pending("critical")).toBe(1);
    const text = (await scrape(test)).body;
    expect(text).not.toContain(created.json().tenant_id as string);
  });

  it("is not served when disabled", async () => {
    server = await createTestServer({ metrics: { enabled: false } });
    expect((await scrape(server)).statusCode).toBe(404);
  });
});

describe("startServer and ASS_METRICS_TOKEN", () => {
  let running: RunningServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await running?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    running = undefined;
  });

  it("protects /metrics with the token from the environment", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ass-metrics-"));
    const { env, ...database } = await startServerDatabase();
    running = await startServer({
      port: 0,
      dataDir,
      logger: false,
      ...database,
      env: { ...env, ASS_METRICS_TOKEN: "metrics-token-from-env" },
    });
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${running.url}/metrics`, {
      headers: { authorization: "Bearer metrics-token-from-env" },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain("ass_http_requests_total");
  });

  it("makes a metrics token at first start, prints it to the keys file and asks for it over a real socket", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ass-metrics-"));
    const keysFile = join(dataDir, "keys.env");
    const { env, ...database } = await startServerDatabase();
    running = await startServer({ port: 0, dataDir, logger: false, ...database, env, keysFile });
    const metricsToken = running.firstStart?.metricsToken ?? "";
    expect(metricsToken).toMatch(/^ass_metrics_/);
    expect(await readFile(keysFile, "utf8")).toContain(`ASS_METRICS_TOKEN=${metricsToken}\n`);
    const bare = await fetch(`${running.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain("ass_http_requests_total");
    const wrong = await fetch(`${running.url}/metrics`, {
      // The last character changed (never to itself: that would be the right token).
      headers: {
        authorization: `Bearer ${metricsToken.slice(0, -1)}${metricsToken.endsWith("A") ? "B" : "A"}`,
      },
    });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${running.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scraped.status).toBe(200);
    // A second start finds the token's hash in the database: the same token still opens /metrics.
    await running.close();
    running = await startServer({ port: 0, dataDir, logger: false, ...database, env });
    expect(running.firstStart).toBeNull();
    const again = await fetch(`${running.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(again.status).toBe(200);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
  });
});
