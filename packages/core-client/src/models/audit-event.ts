/**
 * One entry of the vault's append-only, hash-chained audit log. It never holds a secret
 * value or a credential.
 */
export interface AuditEvent {
  readonly id: string;
  /**
   * Position in the tenant's chain, when the server says (`null` otherwise). Passing it as
   * `cursor` to `listAudit` continues after this event, which is how `--follow` tails the log.
   */
  readonly seq: number | null;
  /** When it happened. */
  readonly at: Date;
  /**
   * What happened: `secret.created | read | updated | rotated | deleted | imported`,
   * `token.issued | used | revoked | denied`,
   * `approval.requested | granted | denied | cancelled | expired`, `auth.failed`,
   * `agent.created | deleted`, and whatever else the server records.
   */
  readonly event: string;
  /** Kind of credential that acted: `agent`, `admin`, `token`, or `anonymous` (e.g. a failed login). */
  readonly actorType: string;
  /** Id of the agent, admin or token that acted, or `null`. */
  readonly actorId: string | null;
  /** The token used, or `null`. */
  readonly tokenId: string | null;
  /** The secret path (or namespace) concerned, or `null`. */
  readonly path: string | null;
  /** The secret version concerned, or `null`. */
  readonly version: number | null;
  /** The client address, or `null`. */
  readonly ip: string | null;
  /** How it ended, e.g. `success`, `denied`, `pending`. */
  readonly outcome: string;
  /** The `x-request-id` of the request that caused it, or `null`. */
  readonly requestId: string | null;
  /** Further facts the server recorded (ids, counts); never a value. Empty when none. */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  /** This event's hash in the chain. */
  readonly hash: string;
  /** The previous event's hash: what chains this event to the one before. */
  readonly prevHash: string;
}
