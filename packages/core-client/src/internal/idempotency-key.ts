/** HTTP methods whose requests change state and therefore carry an `Idempotency-Key`. */
const WRITE_METHODS: ReadonlySet<string> = new Set(["PUT", "POST", "PATCH", "DELETE"]);

/** Whether requests with `method` are writes. */
export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/**
 * A fresh key for one logical write. It is generated once per call and sent unchanged on
 * every retry, so the server answers a repeat with the first response instead of writing
 * a second version.
 */
export function createIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
