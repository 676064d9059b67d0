/**
 * Thrown by the secrets store when a row's metadata MAC does not match its fields (a tier, a
 * current version, an expiry or a retirement changed behind the server's back, or a row without
 * one), and by value opening when a sealed value fails authentication. The message names the row,
 * never a value; services turn it into INTEGRITY_FAILED with an audit event.
 */
export class SecretIntegrityError extends Error {
  override readonly name = "SecretIntegrityError";

  constructor(
    readonly tenantId: string,
    readonly secretId: string,
    /** Which record failed: the secret's row, one version's row, or a version's sealed value. */
    readonly record: "secret" | "version" | "value",
    readonly version: number | null = null,
  ) {
    super(
      `the stored ${record} of secret ${secretId}${version === null ? "" : ` version ${version}`} failed its integrity check: it was changed outside the server`,
    );
  }
}
