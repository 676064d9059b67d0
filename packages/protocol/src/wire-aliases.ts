/**
 * The wire objects whose fields have a second name (docs/protocol.md, "Two generations").
 * `secret`: a secret or its metadata as answered; `secret-write`: the body of a secret write or
 * import; `token-request`: `POST /v1/tokens`'s body; `token`: a token as answered; `rotation`:
 * a rotation's answer (both forms carry both names); `error`: the `error` object of a failure;
 * `approval`: an approval request as answered; `approval-decision`: the body of an approve,
 * deny or cancel; `audit-event`: one audit event; `audit-page`: `GET /v1/audit`'s answer;
 * `import-result`: `POST /v1/secrets/import`'s answer.
 */
export type WireObjectName =
  | "secret"
  | "secret-write"
  | "token-request"
  | "token"
  | "rotation"
  | "error"
  | "approval"
  | "approval-decision"
  | "audit-event"
  | "audit-page"
  | "import-result";

/** One field that the two API generations name differently. */
export type WireFieldAlias = {
  /** The seed generation's name, what this protocol answers first. */
  readonly field: string;
  /** The other generation's name for the same thing. */
  readonly alias: string;
  /** Where both names occur. */
  readonly objects: readonly WireObjectName[];
  /**
   * `same`: the alias carries the same value (a reader takes whichever is present; a writer of
   * a request that gives both must give equal values). `converted`: another shape of the same
   * thing (`scopes` is a list, `ttl` a duration text such as `"1h"`), read by its own parser.
   */
  readonly value: "same" | "converted";
};

/**
 * THE table of the wire's field aliases between the API generations. The server accepts every
 * alias on input and writes both names on output; the client reads either name. Nothing else
 * lists these pairs.
 */
export const WIRE_FIELD_ALIASES: readonly WireFieldAlias[] = Object.freeze([
  {
    field: "tier",
    alias: "access_tier",
    objects: ["secret", "secret-write", "approval"],
    value: "same",
  },
  { field: "secret_type", alias: "type", objects: ["secret", "secret-write"], value: "same" },
  { field: "tags", alias: "metadata", objects: ["secret", "secret-write"], value: "same" },
  {
    field: "allowed_ips",
    alias: "ip_allowlist",
    objects: ["token-request", "token"],
    value: "same",
  },
  { field: "token", alias: "value", objects: ["token"], value: "same" },
  {
    field: "approval_request_id",
    alias: "approval_id",
    objects: ["token", "error"],
    value: "same",
  },
  { field: "scope", alias: "scopes", objects: ["token-request", "token"], value: "converted" },
  { field: "ttl_seconds", alias: "ttl", objects: ["token-request", "token"], value: "converted" },
  { field: "new_version", alias: "version", objects: ["rotation"], value: "same" },
  { field: "expires_at", alias: "grace_expires_at", objects: ["rotation"], value: "same" },
  { field: "scopes", alias: "requested_scopes", objects: ["approval"], value: "same" },
  { field: "requested_by", alias: "agent_id", objects: ["approval"], value: "same" },
  { field: "description", alias: "reason", objects: ["approval"], value: "same" },
  { field: "comment", alias: "reason", objects: ["approval-decision"], value: "same" },
  { field: "at", alias: "created_at", objects: ["audit-event"], value: "same" },
  { field: "event", alias: "event_type", objects: ["audit-event"], value: "same" },
  { field: "ip", alias: "ip_address", objects: ["audit-event"], value: "same" },
  { field: "detail", alias: "metadata", objects: ["audit-event"], value: "same" },
  { field: "items", alias: "events", objects: ["audit-page"], value: "same" },
  { field: "imported", alias: "keys", objects: ["import-result"], value: "same" },
] as const);

/**
 * Every name `field` goes by on the wire (in `object`, or in any object when not given), the
 * seed generation's first: `wireNames("tier")` is `["tier", "access_tier"]`,
 * `wireNames("expires_at", "rotation")` is `["expires_at", "grace_expires_at"]`. A field without
 * an alias is just `[field]`.
 */
export function wireNames(field: string, object?: WireObjectName): readonly string[] {
  const aliases = WIRE_FIELD_ALIASES.filter(
    (entry) => entry.field === field && (object === undefined || entry.objects.includes(object)),
  ).map((entry) => entry.alias);
  return [field, ...new Set(aliases)];
}
