import {
  INSPECT_CUSTOM,
  type InspectFunction,
  inspectRedacted,
  REDACTED,
} from "../internal/redact.js";

/** Fields of a {@link CreatedTenant}. */
export interface CreatedTenantInit {
  readonly tenantId: string;
  readonly name: string;
  readonly adminId: string | null;
  readonly createdAt: Date | null;
  readonly adminKey: string;
}

/**
 * A newly created tenant and its first admin key (`ass_admin_…`), which the vault shows only
 * this once. `String()`, `JSON.stringify()` and `util.inspect()` print `[REDACTED]` instead
 * of the key; only `.adminKey` reads it.
 */
export class CreatedTenant {
  /** Id of the tenant. Not a credential. */
  readonly tenantId: string;
  readonly name: string;
  /** Id of the tenant's first admin, or `null` when the server did not say. */
  readonly adminId: string | null;
  /** When it was created, or `null` when the server did not say. */
  readonly createdAt: Date | null;
  // A private field, so that spreading, Object.keys and structured logging never see it.
  readonly #adminKey: string;

  constructor(init: CreatedTenantInit) {
    this.tenantId = init.tenantId;
    this.name = init.name;
    this.adminId = init.adminId;
    this.createdAt = init.createdAt;
    this.#adminKey = init.adminKey;
  }

  /** The tenant's first admin key (`ass_admin_…`): a credential. The only way to read it. */
  get adminKey(): string {
    return this.#adminKey;
  }

  /** `CreatedTenant(<tenantId>, <name>, adminKey [REDACTED])`; never the key. */
  toString(): string {
    return `CreatedTenant(${this.tenantId}, ${this.name}, adminKey ${REDACTED})`;
  }

  /** Everything but the key, which is `"[REDACTED]"`. */
  toJSON(): Record<string, unknown> {
    return {
      tenantId: this.tenantId,
      name: this.name,
      adminId: this.adminId,
      createdAt: this.createdAt,
      adminKey: REDACTED,
    };
  }

  [INSPECT_CUSTOM](_depth: number, options: unknown, inspect?: InspectFunction): string {
    return inspectRedacted("CreatedTenant", this.toJSON(), this.toString(), options, inspect);
  }
}
