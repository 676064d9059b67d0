/**
 * A signed checkpoint of a tenant's audit chain head (`auditCheckpoint`): event `seq` of the
 * chain hashed to `head_hash`. Keep it outside the vault as it is (its fields keep the wire
 * names, so that it can be stored as JSON and handed back to `verifyAudit({ checkpoints })`
 * unchanged); only the vault that signed it can check `signature`.
 */
export interface AuditCheckpoint {
  readonly tenant: string;
  /** How many events the chain held (0 for an empty chain). */
  readonly seq: number;
  /** The hash of event `seq`. */
  readonly head_hash: string;
  /** When it was taken (ISO-8601). */
  readonly at: string;
  /** The vault's HMAC-SHA-256 of the other fields (hex). */
  readonly signature: string;
}
