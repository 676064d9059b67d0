import { describe, expect, it } from "vitest";
import { prettyLine } from "../http/pretty-log-stream.js";
import { loadServerConfig } from "./load-server-config.js";
import { startOptionsFromConfig } from "./start-options-from-config.js";

const LINE = JSON.stringify({
  level: 30,
  time: Date.UTC(2026, 0, 15, 10, 4, 5),
  pid: 1,
  hostname: "h",
  reqId: "req_1",
  msg: "request completed",
  statusCode: 200,
});

async function logWrites(env: Record<string, string>, isTTY: boolean): Promise<string[]> {
  const written: string[] = [];
  const options = await startOptionsFromConfig(await loadServerConfig({ env }), {
    isTTY,
    write: (chunk: string) => written.push(chunk),
  });
  const stream = (options.logger as { stream: { write(chunk: string): unknown } }).stream;
  stream.write(`${LINE}\n`);
  return written;
}

describe("log format", () => {
  it("is readable lines on a terminal and JSON lines otherwise (auto)", async () => {
    expect(await logWrites({}, true)).toEqual([
      "10:04:05 INFO  request completed reqId=req_1 statusCode=200\n",
    ]);
    expect(await logWrites({}, false)).toEqual([`${LINE}\n`]);
    expect(await logWrites({ ASS_LOG_FORMAT: "json" }, true)).toEqual([`${LINE}\n`]);
    expect(await logWrites({ ASS_LOG_FORMAT: "pretty" }, false)).toHaveLength(1);
  });

  it("passes lines that are not JSON through", () => {
    expect(prettyLine("plain text")).toBe("plain text");
  });
});

describe("startOptionsFromConfig", () => {
  it("maps the limits and approvals onto the server's settings, leaving unset budgets to its defaults", async () => {
    const options = await startOptionsFromConfig(
      await loadServerConfig({
        env: {
          ASS_RATE_LIMIT_PER_CREDENTIAL: "5000",
          ASS_RATE_LIMIT_WRITES: "50",
          ASS_RATE_LIMIT_WRITES_SECONDS: "10",
          ASS_CRITICAL_DELAY: "0",
          REDIS_URL: "redis://127.0.0.1:6379",
        },
      }),
      { write: () => true },
    );
    expect(options.rateLimits).toEqual({
      store: { redisUrl: "redis://127.0.0.1:6379" },
      perCredential: { points: 5000 },
      writes: { points: 50, durationSeconds: 10 },
    });
    expect(options.approvals).toMatchObject({ criticalDelaySeconds: 0 });
    // Nothing but the master key reaches startServer's own environment reading.
    expect(options.env).toEqual({});
  });

  it("refuses a webhook URL without its secret, and a TLS certificate without its key", async () => {
    const webhook = await loadServerConfig({ env: { ASS_WEBHOOK_URL: "https://hooks.example" } });
    await expect(startOptionsFromConfig(webhook, { write: () => true })).rejects.toThrow(
      "configuration: set both [approvals] webhook_url (ASS_WEBHOOK_URL) and webhook_secret",
    );
    const tls = await loadServerConfig({ env: { ASS_TLS_CERT: "/nowhere/cert.pem" } });
    await expect(startOptionsFromConfig(tls, { write: () => true })).rejects.toThrow(
      /\[tls\] cert and key go together/,
    );
  });
});

describe("broker routes", () => {
  it("become startServer's broker routes, snake_case keys in camelCase", async () => {
    const env = {
      ASS_BROKER_ROUTES: JSON.stringify([
        {
          name: "maps",
          upstream: "https://maps.example",
          secret: "production/maps/key",
          query_parameter: "key",
          path_prefixes: ["/api/"],
          max_body_bytes: 1024,
        },
      ]),
    };
    const options = await startOptionsFromConfig(await loadServerConfig({ env }), {
      write: () => undefined,
    });
    expect(options.broker?.routes).toEqual([
      {
        name: "maps",
        upstream: "https://maps.example",
        secretPath: "production/maps/key",
        queryParameter: "key",
        pathPrefixes: ["/api/"],
        maxBodyBytes: 1024,
      },
    ]);
  });
});
