import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { VaultError } from "../vault/vault-error.js";
import type { Injection, ResolvedBrokerRoute } from "./broker-route.js";
import { callerResponseHeaders, upstreamRequestHeaders } from "./forward-headers.js";
import { maskEcho, maskEchoInHeaders } from "./mask-echo.js";
import { guardedLookup, REFUSED_ADDRESS } from "./upstream-lookup.js";

const lookup = guardedLookup();

/** The error codes of a certificate Node could not verify. */
const TLS_FAILURES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/** One call as the caller sent it to `/v1/broker/{route}{rest}`. */
export type IncomingCall = {
  method: string;
  /** The path after the route's name, as sent (percent-encoding kept), starting with `/`. */
  rest: string;
  /** The query string as sent, with its `?`, or `""`. */
  search: string;
  headers: IncomingHttpHeaders;
  /** The request body, streamed; undefined when there is none. */
  body: Readable | undefined;
};

/** The upstream's answer, its body still streaming. */
export type UpstreamAnswer = {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Readable;
  /** Bytes of request body sent so far (all of it once the answer is complete). */
  bytesSent(): number;
};

/** Keep-alive connections to the upstreams, one pool per server; destroy them on close. */
export type UpstreamAgents = { http: http.Agent; https: https.Agent; destroy(): void };

/** A fresh pair of keep-alive agents (TLS certificates are verified as Node does by default). */
export function createUpstreamAgents(): UpstreamAgents {
  const plain = new http.Agent({ keepAlive: true });
  const secure = new https.Agent({ keepAlive: true });
  return {
    http: plain,
    https: secure,
    destroy() {
      plain.destroy();
      secure.destroy();
    },
  };
}

/** Where a call goes, without its query: the upstream's origin, its base path and the caller's path. */
export function upstreamTarget(route: ResolvedBrokerRoute, call: IncomingCall): URL {
  const base = route.upstream.pathname.replace(/\/$/, "");
  return new URL(`${base}${call.rest}`, route.upstream.origin);
}

/** The upstream URL of a call: the route's base path, the caller's path and query, the value if it goes in the query. */
export function upstreamUrl(route: ResolvedBrokerRoute, call: IncomingCall, value: string): URL {
  const base = route.upstream.pathname.replace(/\/$/, "");
  const url = new URL(`${base}${call.rest}${call.search}`, route.upstream.origin);
  if (route.injection.kind === "query") url.searchParams.set(route.injection.parameter, value);
  return url;
}

function injectedHeader(injection: Injection, value: string): [string, string] | undefined {
  switch (injection.kind) {
    case "header":
      return [injection.name, injection.template.replaceAll("{value}", value)];
    case "basic": {
      const pair = injection.user === "" ? value : `${injection.user}:${value}`;
      return ["authorization", `Basic ${Buffer.from(pair, "utf8").toString("base64")}`];
    }
    case "query":
      return undefined;
  }
}

function upstreamError(route: ResolvedBrokerRoute, timedOut: boolean, code?: string): VaultError {
  if (code !== undefined && TLS_FAILURES.test(code)) {
    return new VaultError(
      "UPSTREAM_FAILED",
      `The upstream of broker route ${route.name} presented a TLS certificate that could not be verified (${code}); for a private CA, name its certificate in the route's ca_file or broker.ca_file`,
      { route: route.name },
    );
  }
  if (code === REFUSED_ADDRESS) {
    return new VaultError(
      "UPSTREAM_FAILED",
      `The upstream of broker route ${route.name} resolves to a link-local or cloud metadata address; name such an address literally in the route if it is meant`,
      { route: route.name },
    );
  }
  return timedOut
    ? new VaultError(
        "UPSTREAM_TIMEOUT",
        `The upstream of broker route ${route.name} did not answer within ${route.timeoutMs / 1000} s`,
        { route: route.name },
      )
    : new VaultError(
        "UPSTREAM_FAILED",
        `The upstream of broker route ${route.name} could not be reached or broke off; try again later`,
        { route: route.name },
      );
}

/** Counts the bytes of a stream that passes through, failing once there are more than `limit`. */
function byteCounter(limit: number, onOver: () => Error) {
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      count += chunk.length;
      if (count > limit) done(onOver());
      else done(null, chunk);
    },
  });
  return { stream, count: () => count };
}

/**
 * Sends a call upstream with the secret injected and the caller's credential removed; resolves
 * with the answer once its headers arrive (its body streams on). Redirects are answered as they
 * are, never followed; a value the upstream echoes back is masked. The request body is bounded by the route's `maxBodyBytes` (413), the
 * upstream's silence by its timeout (504); an unreachable upstream is 502. Errors never hold the
 * value or a header.
 */
export function forwardCall(
  route: ResolvedBrokerRoute,
  call: IncomingCall,
  value: string,
  agents: UpstreamAgents,
): Promise<UpstreamAnswer> {
  const url = upstreamUrl(route, call, value);
  const headers = upstreamRequestHeaders(call.headers);
  headers.host = url.host;
  const injected = injectedHeader(route.injection, value);
  if (injected !== undefined) headers[injected[0]] = injected[1];
  const secure = url.protocol === "https:";
  const tooLarge = () =>
    new VaultError(
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than broker route ${route.name}'s ${route.maxBodyBytes} bytes`,
      { limit: route.maxBodyBytes },
    );
  const counter = byteCounter(route.maxBodyBytes, tooLarge);
  return new Promise<UpstreamAnswer>((resolve, reject) => {
    let timedOut = false;
    let failure: VaultError | undefined;
    const request = (secure ? https : http).request(url, {
      method: call.method,
      headers,
      agent: secure ? agents.https : agents.http,
      timeout: route.timeoutMs,
      lookup: lookup as never,
      ...(secure && route.ca !== undefined ? { ca: route.ca as string[] } : {}),
    });
    request.on("timeout", () => {
      timedOut = true;
      request.destroy();
    });
    request.on("error", (error: NodeJS.ErrnoException) =>
      reject(failure ?? upstreamError(route, timedOut, error.code)),
    );
    request.on("response", (response) => {
      // An upstream that echoes the value back does not hand it to the caller: masked in the
      // headers, and in a body that is not compressed (a compressed one passes as it is).
      const encoding = response.headers["content-encoding"];
      const plain = encoding === undefined || encoding === "identity";
      const body = plain ? response.pipe(maskEcho(value)) : response;
      if (plain) response.on("error", (error) => body.destroy(error));
      resolve({
        status: response.statusCode ?? 502,
        headers: maskEchoInHeaders(callerResponseHeaders(response.headers), value),
        body,
        bytesSent: counter.count,
      });
    });
    if (call.body === undefined) {
      request.end();
      return;
    }
    pipeline(call.body, counter.stream, request).catch((error: unknown) => {
      failure = error instanceof VaultError ? error : undefined;
      request.destroy(error instanceof Error ? error : undefined);
    });
  });
}
