/**
 * A credential broker route's name (docs/protocol.md, "Credential broker"): 1–63 characters,
 * a-z, 0-9, `-` and `_`, starting with a letter or digit. It is the `{route}` of
 * `/v1/broker/{route}/…`, so it needs no encoding in a URL.
 */
export const BROKER_ROUTE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
