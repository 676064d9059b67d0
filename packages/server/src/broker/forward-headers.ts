import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

/** Hop-by-hop headers (RFC 9110, 7.6.1): they describe one connection, never the message. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * What the caller sent that must not go upstream: its vault credential (a bearer token,
 * `X-Vault-Token`, an agent key, the console's cookie), the host it called, and what describes
 * the caller's address or its expectations of this hop.
 */
const CALLER_ONLY = new Set([
  "authorization",
  "x-vault-token",
  "x-approval-id",
  "x-agent-key",
  "cookie",
  "host",
  "expect",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "x-request-id",
]);

/** The headers named by `Connection` (hop-by-hop too). */
function namedByConnection(headers: IncomingHttpHeaders): Set<string> {
  const connection = headers.connection;
  const text = Array.isArray(connection) ? connection.join(",") : (connection ?? "");
  return new Set(
    text
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ""),
  );
}

/** The caller's headers as they go upstream: no hop-by-hop header, no vault credential. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const dropped = namedByConnection(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CALLER_ONLY.has(name)) continue;
    if (dropped.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/** The upstream's headers as they go back to the caller: no hop-by-hop header, no cookie jar of ours. */
export function callerResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const dropped = namedByConnection(headers);
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}
