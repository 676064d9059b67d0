import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { parseJsonColumn } from "./json-column.js";

export type StoredResponse = { statusCode: number; body: unknown };

export type IdempotencyRecord = {
  requestHash: string;
  response: StoredResponse;
};

/**
 * Remembered responses of writes sent with an `Idempotency-Key`, per tenant and credential.
 * Written in the same transaction as the write, so a retry finds either nothing (the write
 * did not happen) or the first response (it did).
 */
export class IdempotencyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(
    tenantId: string,
    credentialHash: string,
    key: string,
  ): Promise<IdempotencyRecord | undefined> {
    const row = await this.db
      .selectFrom("idempotency_keys")
      .select(["request_hash", "response"])
      .where("tenant_id", "=", tenantId)
      .where("credential_hash", "=", credentialHash)
      .where("key", "=", key)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      requestHash: row.request_hash,
      response: parseJsonColumn<StoredResponse>(row.response, { statusCode: 200, body: {} }),
    };
  }

  async insert(options: {
    tenantId: string;
    credentialHash: string;
    key: string;
    requestHash: string;
    response: StoredResponse;
    createdAt: string;
  }): Promise<void> {
    await this.db
      .insertInto("idempotency_keys")
      .values({
        tenant_id: options.tenantId,
        credential_hash: options.credentialHash,
        key: options.key,
        request_hash: options.requestHash,
        status: "completed",
        response: JSON.stringify(options.response),
        created_at: options.createdAt,
      })
      .execute();
  }
}
