import { createHmac, timingSafeEqual } from "node:crypto";

/** The header that carries a webhook's signature: `t=<unix seconds>,v1=<hex HMAC-SHA-256>`. */
export const WEBHOOK_SIGNATURE_HEADER = "x-ass-signature";

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^[0-9a-f]{64}$/i;
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifyWebhookSignature}. */
export type VerifyWebhookSignatureOptions = {
  /**
   * How far the signed timestamp may be from `now`, either way, in seconds. Older deliveries are
   * refused, so a captured request cannot be replayed later; dedupe on `x-ass-delivery` to
   * refuse replays inside the window too.
   * @default 300
   */
  toleranceSeconds?: number;
  /**
   * The clock.
   * @default () => new Date()
   */
  now?: () => Date;
};

/**
 * The `x-ass-signature` value for a body sent at `timestampSeconds`:
 * `t=<timestampSeconds>,v1=<hex HMAC-SHA-256(secret, "<timestampSeconds>.<rawBody>")>`.
 */
export function signWebhookPayload(
  secret: string,
  rawBody: string | Uint8Array,
  timestampSeconds: number,
): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, rawBody)}`;
}

/**
 * Checks a webhook delivery, for receivers: the `x-ass-signature` header must hold a timestamp
 * within `toleranceSeconds` of now and an HMAC-SHA-256 of `"<t>.<raw body>"` under `secret`
 * (compared in constant time). Pass the body exactly as received, before any JSON parsing.
 * Any malformed, stale or wrong input is `false`; it never throws for what came off the wire.
 *
 * @throws {TypeError} when `secret` is empty (a configuration mistake, not a bad delivery).
 * @example
 * const ok = verifyWebhookSignature(secret, request.headers["x-ass-signature"], rawBody);
 * if (!ok) return response.writeHead(401).end();
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | readonly string[] | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyWebhookSignatureOptions = {},
): boolean {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError("verifyWebhookSignature needs the webhook secret");
  }
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array)) return false;
  const parsed = parseSignatureHeader(Array.isArray(header) ? header : [header]);
  if (parsed === null) return false;

  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  if (!(Math.abs(nowSeconds - parsed.timestamp) <= toleranceSeconds)) return false;

  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, rawBody), "hex");
  let matched = false;
  for (const signature of parsed.signatures) {
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (timingSafeEqual(Buffer.from(signature, "hex"), expected)) matched = true;
  }
  return matched;
}

function parseSignatureHeader(
  values: readonly (string | null | undefined)[],
): { timestamp: number; signatures: string[] } | null {
  if (values.length !== 1) return null;
  const [value] = values;
  if (typeof value !== "string" || value.length > 4096) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of value.split(",")) {
    const separator = part.indexOf("=");
    if (separator < 0) return null;
    const name = part.slice(0, separator).trim();
    const content = part.slice(separator + 1).trim();
    if (name === "t") {
      if (timestamp !== null || !TIMESTAMP.test(content)) return null;
      timestamp = Number(content);
    } else if (name === "v1") {
      if (!SIGNATURE.test(content)) return null;
      signatures.push(content.toLowerCase());
    }
    // Other names (a future v2) are ignored, so receivers keep working when one is added.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

function hmacHex(secret: string, timestampSeconds: number, rawBody: string | Uint8Array): string {
  return createHmac("sha256", secret)
    .update(`${timestampSeconds}.`, "utf8")
    .update(rawBody)
    .digest("hex");
}
