/**
 * What `vault.broker(route)` answers: where an SDK sends its calls so that the vault injects the
 * route's secret, and the header that authenticates them to the vault.
 */
export interface BrokerConnection {
  /** `<vault>/v1/broker/<route>`: append the upstream path (e.g. `/v1` for OpenAI). */
  readonly baseURL: string;
  /** `{ authorization: "Bearer <vault credential>" }`; the vault removes it before forwarding. */
  readonly headers: { readonly authorization: string };
}
