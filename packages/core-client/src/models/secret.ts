import { INSPECT_CUSTOM, REDACTED } from "../internal/redact.js";
import type { SecretMetadata } from "./secret-metadata.js";
import type { SecretTier } from "./secret-tier.js";
import type { SecretType } from "./secret-type.js";

/** Fields of a {@link Secret}: its metadata plus the value. */
export type SecretInit = Omit<SecretMetadata, "versions"> & { readonly value: string };

type InspectFunction = (value: unknown, options?: unknown) => string;

/**
 * A secret read from the vault. The value is only reachable through `.value`: `String()`,
 * template strings, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead.
 *
 * @example
 * const secret = await vault.getSecret("production/openai/api-key");
 * new OpenAI({ apiKey: secret.value });
 * `${secret}`; // "Secret(production/openai/api-key v3, value [REDACTED])"
 */
export class Secret implements SecretMetadata {
  readonly path: string;
  readonly namespace: string;
  readonly key: string;
  readonly version: number;
  readonly tier: SecretTier;
  readonly secretType: SecretType;
  readonly description: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
  readonly accessedAt: Date | null;
  readonly expiresAt: Date | null;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #value: string;

  constructor(init: SecretInit) {
    this.path = init.path;
    this.namespace = init.namespace;
    this.key = init.key;
    this.version = init.version;
    this.tier = init.tier;
    this.secretType = init.secretType;
    this.description = init.description;
    this.tags = Object.freeze({ ...init.tags });
    this.createdAt = init.createdAt;
    this.updatedAt = init.updatedAt;
    this.accessedAt = init.accessedAt;
    this.expiresAt = init.expiresAt;
    this.#value = init.value;
  }

  /** The secret value. The only way to read it. */
  get value(): string {
    return this.#value;
  }

  /** `Secret(<path> v<version>, value [REDACTED])`; never the value. */
  toString(): string {
    return `Secret(${this.path} v${this.version}, value ${REDACTED})`;
  }

  /** Metadata with `value: "[REDACTED]"`, so that `JSON.stringify` never prints the value. */
  toJSON(): Record<string, unknown> {
    return {
      path: this.path,
      namespace: this.namespace,
      key: this.key,
      value: REDACTED,
      version: this.version,
      tier: this.tier,
      secretType: this.secretType,
      description: this.description,
      tags: this.tags,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      accessedAt: this.accessedAt,
      expiresAt: this.expiresAt,
    };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    if (inspect === undefined) return this.toString();
    return `Secret ${inspect(this.toJSON(), options)}`;
  }
}
