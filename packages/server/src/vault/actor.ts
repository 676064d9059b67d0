import type { Principal } from "./principal.js";

/**
 * Where a request came from, as the audit log records it: the client's address (behind trusted
 * proxies, the forwarded one), the request id, and for admin-only refusals the endpoint asked for.
 */
export type Origin = {
  readonly ip: string | null;
  readonly requestId: string | null;
  /** `METHOD /path` without the query, credentials masked. */
  readonly endpoint?: string;
};

/** Who acts and from where: what every service call takes. */
export type Actor = { readonly principal: Principal; readonly origin: Origin };
