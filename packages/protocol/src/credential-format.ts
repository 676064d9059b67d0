/**
 * Which kind of credential a string is: an agent key, an admin key, a scoped token, or the
 * server's metrics token (which only `/metrics` takes, never the API).
 */
export type CredentialKind = "agent" | "admin" | "token" | "metrics";

/** The prefix of each kind of credential: `ass_live_…`, `ass_admin_…`, `ast_tok_…`, `ass_metrics_…`. */
export const CREDENTIAL_PREFIXES: Readonly<Record<CredentialKind, string>> = Object.freeze({
  agent: "ass_live_",
  admin: "ass_admin_",
  token: "ast_tok_",
  metrics: "ass_metrics_",
});

const PREFIX_ALTERNATION = Object.values(CREDENTIAL_PREFIXES).join("|");

/**
 * A fresh global pattern matching every credential-shaped substring: a known prefix (group 1)
 * followed by at least one base64url character. Any case, anywhere in a word: masking too much
 * is harmless, a credential glued to other text (`key=ass_live_…`, `my_ast_tok_…`) must still
 * be caught. A new object each call, because a global RegExp carries `lastIndex` state.
 */
export function credentialPattern(): RegExp {
  return new RegExp(`(${PREFIX_ALTERNATION})[A-Za-z0-9_-]+`, "gi");
}

/**
 * `text` with every credential in it reduced to its prefix followed by `marker`, e.g.
 * `DELETE /v1/tokens/ast_tok_[REDACTED]`. A second line of defence behind never putting a
 * credential into text at all.
 */
export function maskCredentials(text: string, marker: string): string {
  return text.replace(MASKING_PATTERN, (_match, prefix: string) => prefix + marker);
}

/**
 * One pattern for every {@link maskCredentials} call (it runs on each logged URL and audited
 * text): `replace` with a global pattern starts at index 0 and leaves `lastIndex` at 0, so sharing
 * it is safe, unlike the `exec`/`matchAll` callers of {@link credentialPattern}.
 */
const MASKING_PATTERN = credentialPattern();

/** Whether `text` starts with a credential prefix (any case), e.g. a token sent where an id belongs. */
export function looksLikeCredential(text: string): boolean {
  const lower = text.toLowerCase();
  return Object.values(CREDENTIAL_PREFIXES).some((prefix) => lower.startsWith(prefix));
}

/** The kind whose prefix `text` starts with (exact case), or `null`. Says nothing about the body. */
export function credentialKindByPrefix(text: string): CredentialKind | null {
  for (const [kind, prefix] of Object.entries(CREDENTIAL_PREFIXES)) {
    if (text.startsWith(prefix)) return kind as CredentialKind;
  }
  return null;
}
