import {
  INSPECT_CUSTOM,
  type InspectFunction,
  inspectRedacted,
  REDACTED,
} from "../internal/redact.js";
import type { Admin } from "./admin.js";

/** Fields of a {@link CreatedAdmin}: the admin plus its key. */
export type CreatedAdminInit = Admin & { readonly apiKey: string };

/**
 * A newly created admin (approver) and its key (`ass_admin_…`), which the vault shows only
 * this once. `String()`, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead
 * of the key; only `.apiKey` reads it.
 */
export class CreatedAdmin implements Admin {
  readonly adminId: string;
  readonly name: string;
  readonly isOperator: boolean;
  readonly createdAt: Date | null;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #apiKey: string;

  constructor(init: CreatedAdminInit) {
    this.adminId = init.adminId;
    this.name = init.name;
    this.isOperator = init.isOperator;
    this.createdAt = init.createdAt;
    this.#apiKey = init.apiKey;
  }

  /** The admin key (`ass_admin_…`): a credential. The only way to read it. */
  get apiKey(): string {
    return this.#apiKey;
  }

  /** `CreatedAdmin(<adminId>, <name>, apiKey [REDACTED])`; never the key. */
  toString(): string {
    return `CreatedAdmin(${this.adminId}, ${this.name}, apiKey ${REDACTED})`;
  }

  /** Everything but the key, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return {
      adminId: this.adminId,
      name: this.name,
      isOperator: this.isOperator,
      createdAt: this.createdAt,
      apiKey: REDACTED,
    };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    return inspectRedacted("CreatedAdmin", this.toJSON(), this.toString(), options, inspect);
  }
}
