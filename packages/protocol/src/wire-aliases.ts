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

/** A field's two names on the wire: the seed generation's first, then the other generation's. */
export type WireNames = readonly [field: string, alias: string];

// The pairs a client reads by name, exported one by one (and used by the table below) so that
// a bundle of the client carries these few pairs and not the whole table.
/** `tier` / `access_tier` (a secret, a secret write, an approval request). */
export const TIER_NAMES = ["tier", "access_tier"] as const satisfies WireNames;
/** `secret_type` / `type` (a secret, a secret write). */
export const SECRET_TYPE_NAMES = ["secret_type", "type"] as const satisfies WireNames;
/** `tags` / `metadata` (a secret, a secret write). */
export const TAGS_NAMES = ["tags", "metadata"] as const satisfies WireNames;
/** `allowed_ips` / `ip_allowlist` (a token request, a token). */
export const ALLOWED_IPS_NAMES = ["allowed_ips", "ip_allowlist"] as const satisfies WireNames;
/** `token` / `value`: a minted token's value. */
export const TOKEN_VALUE_NAMES = ["token", "value"] as const satisfies WireNames;
/** `approval_request_id` / `approval_id` (a token, an error). */
export const APPROVAL_REQUEST_ID_NAMES = [
  "approval_request_id",
  "approval_id",
] as const satisfies WireNames;
/** `expires_at` / `grace_expires_at`: when a rotation's old version stops being readable. */
export const ROTATION_EXPIRES_AT_NAMES = [
  "expires_at",
  "grace_expires_at",
] as const satisfies WireNames;

function entry(
  [field, alias]: WireNames,
  objects: readonly WireObjectName[],
  value: WireFieldAlias["value"] = "same",
): WireFieldAlias {
  return { field, alias, objects, value };
}

/**
 * THE table of the wire's field aliases between the API generations. The server accepts every
 * alias on input and writes both names on output; the client reads either name. Nothing else
 * lists these pairs.
 */
export const WIRE_FIELD_ALIASES: readonly WireFieldAlias[] = /* @__PURE__ */ aliasTable();

// A function, so that a bundler may drop the table where only the pairs above are read.
function aliasTable(): readonly WireFieldAlias[] {
  return Object.freeze([
    entry(TIER_NAMES, ["secret", "secret-write", "approval"]),
    entry(SECRET_TYPE_NAMES, ["secret", "secret-write"]),
    entry(TAGS_NAMES, ["secret", "secret-write"]),
    entry(ALLOWED_IPS_NAMES, ["token-request", "token"]),
    entry(TOKEN_VALUE_NAMES, ["token"]),
    entry(APPROVAL_REQUEST_ID_NAMES, ["token", "error"]),
    entry(["scope", "scopes"], ["token-request", "token"], "converted"),
    entry(["ttl_seconds", "ttl"], ["token-request", "token"], "converted"),
    entry(["new_version", "version"], ["rotation"]),
    entry(ROTATION_EXPIRES_AT_NAMES, ["rotation"]),
    entry(["scopes", "requested_scopes"], ["approval"]),
    entry(["requested_by", "agent_id"], ["approval"]),
    entry(["description", "reason"], ["approval"]),
    entry(["comment", "reason"], ["approval-decision"]),
    entry(["at", "created_at"], ["audit-event"]),
    entry(["event", "event_type"], ["audit-event"]),
    entry(["ip", "ip_address"], ["audit-event"]),
    entry(["detail", "metadata"], ["audit-event"]),
    entry(["items", "events"], ["audit-page"]),
    entry(["imported", "keys"], ["import-result"]),
  ]);
}

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
