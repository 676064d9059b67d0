import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { escapeUnsafeText, looksLikeCredential, maskCredentials } from "@agentsecretstore/protocol";
import { VaultError } from "../vault/vault-error.js";
import type { ResolvedBrokerRoute } from "./broker-route.js";
import type { IncomingCall } from "./forward-call.js";

/**
 * One brokered call as a person approves it (docs/protocol.md, "Credential broker", per-call
 * approval): what it is, shown with credential-shaped values masked, and the hash an approval is
 * bound to (method, route, path and query as sent, and the body's SHA-256).
 */
export type CallDigest = {
  /** SHA-256 (hex) of the route, method, path and query as sent, and the body's digest. */
  hash: string;
  route: string;
  method: string;
  /** `/v1/broker/{route}{path}?{query}`, credential-shaped query values masked. */
  url: string;
  /** SHA-256 (hex) of the request body (of no bytes when there is none). */
  bodySha256: string;
  bodyBytes: number;
  /** The body's first characters, credential-shaped values masked. */
  bodyPreview: string;
};

/** Characters of the body an approver sees. */
const PREVIEW_CHARACTERS = 240;
/** Query parameters and JSON fields whose values are masked whatever they look like. */
const SECRET_NAME = /key|token|secret|pass|auth|sig|credential/i;
const SECRET_JSON_FIELD =
  /("[^"]*(?:key|token|secret|pass|auth|sig|credential)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const MARKER = "[REDACTED]";

/** A body preview with vault credentials and the values of secret-named JSON fields masked. */
export function maskedPreview(text: string): string {
  return maskCredentials(text, MARKER).replace(SECRET_JSON_FIELD, `$1"${MARKER}"`);
}

function maskedQuery(search: string): string {
  if (search === "") return "";
  const params = new URLSearchParams(search);
  const shown = [...params].map(([name, value]) =>
    SECRET_NAME.test(name) || looksLikeCredential(value) ? `${name}=${MARKER}` : `${name}=${value}`,
  );
  return `?${maskCredentials(shown.join("&"), MARKER)}`;
}

async function readBody(call: IncomingCall, limit: number, route: string): Promise<Buffer> {
  if (call.body === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of call.body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new VaultError(
        "PAYLOAD_TOO_LARGE",
        `The request body is larger than broker route ${route}'s ${limit} bytes`,
        { limit },
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads the call's body (bounded by the route's `maxBodyBytes`) to digest it, and gives the call
 * the same bytes back to forward. Only calls that need a per-call approval are read ahead;
 * every other call streams.
 */
export async function digestCall(
  route: ResolvedBrokerRoute,
  call: IncomingCall,
): Promise<CallDigest> {
  const body = await readBody(call, route.maxBodyBytes, route.name);
  call.body = body.length === 0 ? undefined : Readable.from([body]);
  const bodySha256 = createHash("sha256").update(body).digest("hex");
  const hash = createHash("sha256")
    .update(JSON.stringify([route.name, call.method, `${call.rest}${call.search}`, bodySha256]))
    .digest("hex");
  const text = body
    .subarray(0, PREVIEW_CHARACTERS * 4)
    .toString("utf8")
    .slice(0, PREVIEW_CHARACTERS);
  return {
    hash,
    route: route.name,
    method: call.method,
    // Shown to people: unsafe characters (controls, bidirectional formatting) written out.
    url: escapeUnsafeText(
      `/v1/broker/${route.name}${maskCredentials(call.rest, MARKER)}${maskedQuery(call.search)}`,
    ),
    bodySha256,
    bodyBytes: body.length,
    bodyPreview: escapeUnsafeText(maskedPreview(text)),
  };
}
