import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the stub answered, described without any key. */
export type StubExchange = {
  method: string;
  path: string;
  /**
   * Label of the key the request presented (`"key v1"`, also once retired), `"unknown key"`,
   * or `"no key"`.
   */
  presented: string;
  status: number;
  requestBody: string;
  responseBody: string;
};

/** What a route sees of a request that presented an accepted key. */
export type StubRequest = { method: string; path: string; body: string; keyLabel: string };

/** A route's answer: a status and a JSON body. */
export type StubResponse = { status?: number; body: unknown };

/** Options of {@link startStubApi}. */
export type StubApiOptions = {
  /** Keys accepted from the start, by a label that narration may print (the key never is). */
  keys: Record<string, string>;
  /** Answers an authorised request, or `undefined` for a 404. */
  route: (request: StubRequest) => StubResponse | undefined;
  /**
   * The JSON body of a 401.
   * @default { error: "unauthorized" }
   */
  unauthorizedBody?: unknown;
};

/** A running stand-in for a third-party API. */
export type StubApi = {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every request answered so far, oldest first. */
  exchanges: StubExchange[];
  /** Start accepting `key` (a rotation at the provider). */
  accept(label: string, key: string): void;
  /** Stop accepting the key with this label (the provider retires it). */
  retire(label: string): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/**
 * A loopback JSON API that checks `Authorization: Bearer <key>` against the keys it accepts,
 * answers 401 otherwise, and records each exchange (with key labels, never keys).
 */
export async function startStubApi(options: StubApiOptions): Promise<StubApi> {
  // Every key ever accepted stays known by its label, so a retired key is still named.
  const known = new Map(Object.entries(options.keys));
  const accepted = new Set(known.keys());
  const exchanges: StubExchange[] = [];

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const method = request.method ?? "GET";
    const path = new URL(request.url ?? "/", "http://stub").pathname;
    const presentedKey = request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const keyLabel = [...known].find(([, key]) => key === presentedKey)?.[0];

    let answer: StubResponse;
    if (keyLabel === undefined || !accepted.has(keyLabel)) {
      answer = { status: 401, body: options.unauthorizedBody ?? { error: "unauthorized" } };
    } else {
      answer = options.route({ method, path, body, keyLabel }) ?? {
        status: 404,
        body: { error: `no route for ${method} ${path}` },
      };
    }
    const status = answer.status ?? 200;
    const responseBody = JSON.stringify(answer.body);
    exchanges.push({
      method,
      path,
      presented: keyLabel ?? (presentedKey === undefined ? "no key" : "unknown key"),
      status,
      requestBody: body,
      responseBody,
    });
    response.writeHead(status, { "content-type": "application/json" });
    response.end(responseBody);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    origin: `http://127.0.0.1:${port}`,
    exchanges,
    accept: (label, key) => {
      known.set(label, key);
      accepted.add(label);
    },
    retire: (label) => {
      accepted.delete(label);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
