import type { Kysely } from "kysely";
import type { KeyringRow } from "../crypto/keyring.js";
import { type PreparedOwner, PreparedQuery } from "../db/prepared-query.js";
import type { Database } from "../db/schema.js";

export type { KeyringRow };

/** The `master_keys` table: which master keys the vault knows, and the vault key wrapped under each. */
export class KeyringStore {
  readonly #preparedFor: PreparedOwner;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      rowLocks: boolean;
      /** What prepared queries are kept under (db/prepared-query.ts); one of its own by default. */
      preparedFor?: PreparedOwner;
    },
  ) {
    this.#preparedFor = options.preparedFor ?? {};
  }

  async list(): Promise<KeyringRow[]> {
    const rows = await this.db
      .selectFrom("master_keys")
      .selectAll()
      .orderBy("created_at")
      .execute();
    return rows.map(toRow);
  }

  /**
   * The id of the key that seals new values. In a write's transaction on PostgreSQL the row is
   * share-locked until commit: a rotation that makes another key current waits for the write,
   * and its re-wrapping then sees the value that write sealed.
   */
  async currentKeyId(options: { lock: boolean } = { lock: false }): Promise<string | undefined> {
    const query = options.lock && this.options.rowLocks ? CURRENT_KEY_ID_SHARED : CURRENT_KEY_ID;
    const [row] = await query.execute(this.#preparedFor, this.db);
    return row?.key_id;
  }

  async insert(row: KeyringRow, at: string): Promise<void> {
    await this.db
      .insertInto("master_keys")
      .values({
        key_id: row.keyId,
        state: row.state,
        wrapped_vault_key: row.wrappedVaultKey,
        bridge: row.bridge,
        bridge_key_id: row.bridgeKeyId,
        created_at: at,
        retired_at: null,
      })
      .execute();
  }

  /** Makes `keyId` current with its bridge from the current key, which starts retiring. */
  async beginRotation(row: KeyringRow, at: string): Promise<void> {
    await this.db
      .updateTable("master_keys")
      .set({ state: "retiring" })
      .where("state", "=", "current")
      .execute();
    await this.insert(row, at);
  }

  /** Ends a rotation: retiring keys hold nothing any more, and the current key needs no bridge. */
  async retireOld(at: string): Promise<void> {
    await this.db
      .updateTable("master_keys")
      .set({
        state: "retired",
        wrapped_vault_key: null,
        bridge: null,
        bridge_key_id: null,
        retired_at: at,
      })
      .where("state", "=", "retiring")
      .execute();
    await this.db
      .updateTable("master_keys")
      .set({ bridge: null, bridge_key_id: null })
      .where("state", "=", "current")
      .execute();
  }
}

function toRow(row: Database["master_keys"]): KeyringRow {
  return {
    keyId: row.key_id,
    state: row.state,
    wrappedVaultKey: row.wrapped_vault_key,
    bridge: row.bridge,
    bridgeKeyId: row.bridge_key_id,
  };
}

/** The current key's id (every write asks); the write's form share-locks it (PostgreSQL). */
const currentKeyIdQuery = (shared: boolean) =>
  new PreparedQuery(0, (db: Kysely<Database>) =>
    db
      .selectFrom("master_keys")
      .select("key_id")
      .where("state", "=", "current")
      .$if(shared, (query) => query.forShare()),
  );
const CURRENT_KEY_ID = currentKeyIdQuery(false);
const CURRENT_KEY_ID_SHARED = currentKeyIdQuery(true);
