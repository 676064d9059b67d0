import type { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from "../approvals/webhook-signature.js";
import { guardedLookup, isRefusedAddress, REFUSED_ADDRESS } from "../broker/upstream-lookup.js";

/** Where one delivery goes. */
export type WebhookDestination = { url: URL; secret: string };

/** One delivery: the stored body, sent exactly as stored. */
export type WebhookPost = { id: string; eventType: string; body: string };

/**
 * How an attempt ended: the receiver's status, or a short error code (ECONNREFUSED, timeout,
 * refused_address). Never a message, a header or the receiver's answer text.
 */
export type SendResult = { ok: boolean; status: string; retry: boolean };

/** The status recorded for a destination that is link-local or a cloud metadata address. */
export const REFUSED_DESTINATION = "refused_address";

/**
 * Whether a webhook URL names a link-local or cloud metadata address literally (169.254.0.0/16,
 * fe80::/10, fd00:ec2::254, 100.100.100.200): such a webhook is refused when it is set. A host
 * name is checked after resolution, at every delivery.
 */
export function namesRefusedAddress(url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isRefusedAddress(host);
}

/**
 * POSTs one delivery with `x-ass-event`, `x-ass-delivery` (the outbox id, the same on every
 * attempt) and `x-ass-signature` (signed now, per attempt). The host name is resolved with the
 * broker's guarded lookup, so a name that resolves to a metadata address is refused and never
 * connected to; redirects are not followed; the answer's body is discarded.
 */
export function sendWebhook(
  destination: WebhookDestination,
  post: WebhookPost,
  options: { timeoutMs: number; signal: AbortSignal; resolve?: typeof dnsLookup },
): Promise<SendResult> {
  const { url, secret } = destination;
  if (namesRefusedAddress(url)) {
    return Promise.resolve({ ok: false, status: REFUSED_DESTINATION, retry: false });
  }
  const secure = url.protocol === "https:";
  const body = Buffer.from(post.body, "utf8");
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const request = (secure ? https : http).request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": String(body.length),
        "user-agent": "agentsecretstore-webhooks/1",
        "x-ass-event": post.eventType,
        "x-ass-delivery": post.id,
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(secret, body, timestamp),
      },
      timeout: options.timeoutMs,
      lookup: guardedLookup(options.resolve) as never,
      agent: false,
    });
    const onAbort = (): void => {
      request.destroy();
      finish({ ok: false, status: "aborted", retry: true });
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    request.on("timeout", () => {
      request.destroy();
      finish({ ok: false, status: "timeout", retry: true });
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === REFUSED_ADDRESS) {
        finish({ ok: false, status: REFUSED_DESTINATION, retry: false });
        return;
      }
      finish({ ok: false, status: error.code ?? "network_error", retry: true });
    });
    request.on("response", (response) => {
      response.resume();
      const code = response.statusCode ?? 0;
      finish({ ok: code >= 200 && code < 300, status: String(code), retry: true });
    });
    request.end(body);
  });
}
