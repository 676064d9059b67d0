import type { SecretType as WireSecretType } from "@agentsecretstore/protocol";

/**
 * What kind of credential a secret holds (informational; it changes no access rule).
 *
 * Both a type and a value: `SecretType.API_KEY === "api_key"`.
 */
export const SecretType = Object.freeze({
  API_KEY: "api_key",
  OAUTH_TOKEN: "oauth_token",
  DB_CREDENTIAL: "db_credential",
  SSH_KEY: "ssh_key",
  CERTIFICATE: "certificate",
  PAYMENT_CREDENTIAL: "payment_credential",
  CUSTOM: "custom",
} as const satisfies { readonly [T in WireSecretType as Uppercase<T>]: T });

/** One of the {@link SecretType} values. */
export type SecretType = WireSecretType;
