import type { FastifyRequest } from "fastify";
import { validationError } from "../vault/vault-error.js";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** `If-Match: <version>` (quotes and `W/` tolerated); undefined when absent, 400 when malformed. */
export function readIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers["if-match"];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(String(header));
  if (match === null) {
    throw validationError([
      { field: "If-Match", message: "must be a version number (0 = create only)" },
    ]);
  }
  return Number(match[1]);
}

/** `Idempotency-Key`; undefined when absent, 400 when not 1–255 visible ASCII characters. */
export function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const header = request.headers["idempotency-key"];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)) {
    throw validationError([
      { field: "Idempotency-Key", message: "must be 1-255 visible ASCII characters" },
    ]);
  }
  return header;
}
