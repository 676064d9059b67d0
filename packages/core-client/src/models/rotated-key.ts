import {
  INSPECT_CUSTOM,
  type InspectFunction,
  inspectRedacted,
  REDACTED,
} from "../internal/redact.js";

/** Fields of a {@link RotatedKey}. */
export interface RotatedKeyInit {
  readonly id: string;
  readonly revokedTokens: number;
  readonly apiKey: string;
}

/**
 * An agent's or admin's new key, which the vault shows only this once (the old key no longer
 * works). `String()`, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead of the
 * key; only `.apiKey` reads it.
 */
export class RotatedKey {
  /** Id of the agent or admin. Not a credential. */
  readonly id: string;
  /** Tokens revoked with the old key (`revokeTokens`), else 0. */
  readonly revokedTokens: number;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #apiKey: string;

  constructor(init: RotatedKeyInit) {
    this.id = init.id;
    this.revokedTokens = init.revokedTokens;
    this.#apiKey = init.apiKey;
  }

  /** The new key (`ass_live_…` or `ass_admin_…`): a credential. The only way to read it. */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** `RotatedKey(<id>, apiKey [REDACTED])`; never the key. */
  toString(): string {
    return `RotatedKey(${this.id}, apiKey ${REDACTED})`;
  }

  /** Everything but the key, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, revokedTokens: this.revokedTokens, apiKey: REDACTED };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    return inspectRedacted("RotatedKey", this.toJSON(), this.toString(), options, inspect);
  }
}
