/** The result of checking the audit log's hash chain end to end (`verifyAudit`). */
export interface AuditVerification {
  /** Whether every event links to the one before and hashes to what it says. */
  readonly ok: boolean;
  /** How many events were checked. */
  readonly count: number;
  /** Id of the first event where the chain breaks, or `null` when it is intact. */
  readonly brokenAt: string | null;
  /** Why the chain is broken there (present only when the server said). */
  readonly reason?: string;
  /** How many of the given checkpoints held (present when the server said). */
  readonly checkpoints?: number;
}
