import type { Tier } from "@agentsecretstore/protocol";
import type { Insertable, Kysely } from "kysely";
import { type PreparedOwner, PreparedQueriesBySize, PreparedQuery } from "../db/prepared-query.js";
import type { Database, TokensTable } from "../db/schema.js";
import { parseStringArray } from "./json-column.js";

export type TokenRecord = {
  id: string;
  tenantId: string;
  issuerType: TokensTable["issuer_type"];
  issuerId: string;
  parentTokenId: string | null;
  scopes: string[];
  description: string | null;
  allowedIps: string[] | null;
  maxUses: number | null;
  uses: number;
  ttlSeconds: number;
  expiresAt: string;
  revokedAt: string | null;
  approvalStatus: TokensTable["approval_status"];
  approvalRequestId: string | null;
  approvedTier: Tier;
  createdAt: string;
};

/** One use of a live token with uses left (the group commit runs it once per limited read). */
const CONSUME_USE = new PreparedQuery(
  3,
  (db: Kysely<Database>, tenantId: string, tokenId: string, nowIso: string) =>
    db
      .updateTable("tokens")
      .set((eb) => ({ uses: eb("uses", "+", 1) }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", tokenId)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", nowIso)
      .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]))
      .returning("uses"),
);

/** The group commit's check that cached tokens are still live, per list size (≤ 16 ids). */
const LIVE_TOKENS = new PreparedQueriesBySize<{ id: string }>(
  16,
  (count) =>
    new PreparedQuery(
      2 + count,
      (db: Kysely<Database>, tenantId: unknown, nowIso: unknown, ...ids: unknown[]) =>
        db
          .selectFrom("tokens")
          .select("id")
          .where("tenant_id", "=", tenantId as string)
          .where("id", "in", ids as string[])
          .where("revoked_at", "is", null)
          .where("expires_at", ">", nowIso as string),
    ),
);

/** `count` uses of a live token (the group commit runs it once per unlimited token). */
const ADD_USES = new PreparedQuery(
  4,
  (db: Kysely<Database>, tenantId: string, tokenId: string, count: number, nowIso: string) =>
    db
      .updateTable("tokens")
      .set((eb) => ({ uses: eb("uses", "+", count) }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", tokenId)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", nowIso)
      .returning("id"),
);

/** The columns of a token's row, in the order {@link INSERT_TOKEN} takes their values. */
const TOKEN_COLUMNS = [
  "id",
  "tenant_id",
  "token_hash",
  "issuer_type",
  "issuer_id",
  "parent_token_id",
  "scopes",
  "description",
  "allowed_ips",
  "max_uses",
  "uses",
  "ttl_seconds",
  "expires_at",
  "revoked_at",
  "approval_status",
  "approval_request_id",
  "approved_tier",
  "created_at",
] as const satisfies readonly (keyof TokensTable)[];

/** A new token's row (every mint). */
const INSERT_TOKEN = new PreparedQuery(
  TOKEN_COLUMNS.length,
  (db: Kysely<Database>, ...values: unknown[]) =>
    db
      .insertInto("tokens")
      .values(
        Object.fromEntries(TOKEN_COLUMNS.map((column, at) => [column, values[at]])) as Insertable<
          Database["tokens"]
        >,
      ),
);

/** Scoped tokens. Counting uses is one atomic statement, exact under races (docs/security.md). */
export class TokensStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      /** What prepared queries are kept under: one object per database (db/prepared-query.ts). */
      preparedFor: PreparedOwner;
    },
  ) {}

  async insert(token: TokenRecord & { tokenHash: string }): Promise<void> {
    const row: Required<Insertable<TokensTable>> = {
      id: token.id,
      tenant_id: token.tenantId,
      token_hash: token.tokenHash,
      issuer_type: token.issuerType,
      issuer_id: token.issuerId,
      parent_token_id: token.parentTokenId,
      scopes: JSON.stringify(token.scopes),
      description: token.description,
      allowed_ips: token.allowedIps === null ? null : JSON.stringify(token.allowedIps),
      max_uses: token.maxUses,
      uses: token.uses,
      ttl_seconds: token.ttlSeconds,
      expires_at: token.expiresAt,
      revoked_at: token.revokedAt,
      approval_status: token.approvalStatus,
      approval_request_id: token.approvalRequestId,
      approved_tier: token.approvedTier,
      created_at: token.createdAt,
    };
    await INSERT_TOKEN.execute(
      this.options.preparedFor,
      this.db,
      ...TOKEN_COLUMNS.map((column) => row[column]),
    );
  }

  async findByHash(tokenHash: string): Promise<(TokenRecord & { tokenHash: string }) | undefined> {
    const row = await this.db
      .selectFrom("tokens")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    return row && { ...toToken(row), tokenHash: row.token_hash };
  }

  async findById(tenantId: string, tokenId: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom("tokens")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "=", tokenId)
      .executeTakeFirst();
    return row && toToken(row);
  }

  /**
   * Consumes one use; returns the uses counted so far, or undefined when the token is used up,
   * revoked or expired. A single UPDATE … RETURNING, so 50 racing requests on a
   * `max_uses: 1` token get exactly one row back, on one process or several.
   */
  async consumeUse(tenantId: string, tokenId: string, nowIso: string): Promise<number | undefined> {
    const [row] = await CONSUME_USE.execute(
      this.options.preparedFor,
      this.db,
      tenantId,
      tokenId,
      nowIso,
    );
    return row?.uses;
  }

  /**
   * Takes `count` uses out of a use-limited token's remaining budget, for a child it mints: one
   * atomic statement (exact under races, on one instance or several), refused (false) when fewer
   * than `count` are left. Call it in the transaction that stores the child, after the parent's
   * own use for the mint.
   */
  async reserveUses(tenantId: string, tokenId: string, count: number): Promise<boolean> {
    const row = await this.db
      .updateTable("tokens")
      .set((eb) => ({ uses: eb("uses", "+", count) }))
      .where("tenant_id", "=", tenantId)
      .where("id", "=", tokenId)
      .where("max_uses", "is not", null)
      .where((eb) => eb("uses", "<=", eb(eb.ref("max_uses"), "-", count)))
      .returning("uses")
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Ids of the token's parent, grandparent, … up to the root (nearest first). */
  /**
   * Counts `count` uses of a token without a limit (one row update per token per group commit,
   * not per read). Returns false when it is revoked or expired.
   */
  async addUses(
    tenantId: string,
    tokenId: string,
    count: number,
    nowIso: string,
  ): Promise<boolean> {
    const rows = await ADD_USES.execute(
      this.options.preparedFor,
      this.db,
      tenantId,
      tokenId,
      count,
      nowIso,
    );
    return rows.length > 0;
  }

  /** Which of these tokens are still usable (not revoked, not expired). */
  async liveIds(
    tenantId: string,
    tokenIds: readonly string[],
    nowIso: string,
  ): Promise<Set<string>> {
    const rows = await LIVE_TOKENS.executeChunked(
      this.options.preparedFor,
      this.db,
      tokenIds,
      (chunk) => [tenantId, nowIso, ...chunk],
    );
    return new Set(rows.map((row) => row.id));
  }

  async ancestorIds(tenantId: string, tokenId: string): Promise<string[]> {
    const ancestors: string[] = [];
    let current = await this.findById(tenantId, tokenId);
    // Bounded walk: a corrupt cycle must not spin forever.
    while (current?.parentTokenId && ancestors.length < 1000) {
      ancestors.push(current.parentTokenId);
      current = await this.findById(tenantId, current.parentTokenId);
    }
    return ancestors;
  }

  /** Revokes the token and every descendant not yet revoked; returns the ids newly revoked. */
  async revokeWithDescendants(tenantId: string, tokenId: string, at: string): Promise<string[]> {
    const revoked: string[] = [];
    const seen = new Set<string>();
    let frontier = [tokenId];
    while (frontier.length > 0) {
      for (const id of frontier) seen.add(id);
      const result = await this.db
        .updateTable("tokens")
        .set({ revoked_at: at })
        .where("tenant_id", "=", tenantId)
        .where("id", "in", frontier)
        .where("revoked_at", "is", null)
        .returning("id")
        .execute();
      revoked.push(...result.map((row) => row.id));
      const children = await this.db
        .selectFrom("tokens")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .where("parent_token_id", "in", frontier)
        .execute();
      frontier = children.map((row) => row.id).filter((id) => !seen.has(id));
    }
    return revoked;
  }

  /**
   * Ends a pending token's wait: `approved` (up to `approvedTier`) or `denied` (also for a
   * cancelled or expired request). A token no longer pending is left alone.
   */
  async settleApproval(
    tenantId: string,
    tokenId: string,
    outcome: { status: "approved"; approvedTier: Tier } | { status: "denied" },
  ): Promise<void> {
    await this.db
      .updateTable("tokens")
      .set({
        approval_status: outcome.status,
        ...(outcome.status === "approved" ? { approved_tier: outcome.approvedTier } : {}),
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", tokenId)
      .where("approval_status", "=", "pending")
      .execute();
  }

  /** The tenant's tokens that still work or wait for approval: not revoked, not expired, uses left. Oldest first. */
  async listLive(tenantId: string, nowIso: string): Promise<TokenRecord[]> {
    const rows = await this.db
      .selectFrom("tokens")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", nowIso)
      .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toToken);
  }

  /** Ids of the root tokens an agent or admin issued (their descendants follow on revocation). */
  async idsIssuedBy(tenantId: string, issuerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("tokens")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .where("issuer_id", "=", issuerId)
      .where("revoked_at", "is", null)
      .execute();
    return rows.map((row) => row.id);
  }
}

function toToken(row: Database["tokens"]): TokenRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    issuerType: row.issuer_type,
    issuerId: row.issuer_id,
    parentTokenId: row.parent_token_id,
    scopes: parseStringArray(row.scopes),
    description: row.description,
    allowedIps: row.allowed_ips === null ? null : parseStringArray(row.allowed_ips),
    maxUses: row.max_uses,
    uses: row.uses,
    ttlSeconds: row.ttl_seconds,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    approvalStatus: row.approval_status,
    approvalRequestId: row.approval_request_id,
    approvedTier: row.approved_tier,
    createdAt: row.created_at,
  };
}
