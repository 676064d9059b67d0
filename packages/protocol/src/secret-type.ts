/** What kind of credential a secret holds. Informational: it changes no access rule. */
export const SECRET_TYPES = [
  "api_key",
  "oauth_token",
  "db_credential",
  "ssh_key",
  "certificate",
  "payment_credential",
  "custom",
] as const;

/** One of {@link SECRET_TYPES}. */
export type SecretType = (typeof SECRET_TYPES)[number];

/** Whether `value` is one of {@link SECRET_TYPES}. */
export function isSecretType(value: unknown): value is SecretType {
  return typeof value === "string" && (SECRET_TYPES as readonly string[]).includes(value);
}
