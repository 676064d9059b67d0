import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A signed statement of a tenant's audit chain head at one moment: "event `seq` of this tenant's
 * chain hashed to `head_hash`". Kept outside the database (a file, a ticket, another system), it
 * lets verification notice a chain that no longer holds that event, e.g. the newest events cut
 * off the end and the head row set to match (docs/security.md).
 */
export type AuditCheckpoint = {
  tenant: string;
  /** The head's sequence number: how many events the chain held (0 for an empty chain). */
  seq: number;
  /** The hash of event `seq` (64 zeros for an empty chain). */
  head_hash: string;
  /** When the checkpoint was taken (ISO-8601 UTC). */
  at: string;
  /** HMAC-SHA-256 (hex) of the fields above under the vault's checkpoint key. */
  signature: string;
};

/** The bytes signed: a versioned label and each field on its own line, so none can shift into another. */
function signedText(checkpoint: Omit<AuditCheckpoint, "signature">): string {
  return [
    "agentsecretstore/audit-checkpoint/v1",
    checkpoint.tenant,
    String(checkpoint.seq),
    checkpoint.head_hash,
    checkpoint.at,
  ].join("\n");
}

/** Signs a checkpoint with `key` (`deriveKey(masterKey, "audit-checkpoint")`). */
export function signCheckpoint(
  key: Buffer,
  checkpoint: Omit<AuditCheckpoint, "signature">,
): AuditCheckpoint {
  const signature = createHmac("sha256", key).update(signedText(checkpoint), "utf8").digest("hex");
  return { ...checkpoint, signature };
}

/** Whether the checkpoint's signature is the one `key` makes for its fields (constant time). */
export function checkpointSignatureValid(key: Buffer, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(signCheckpoint(key, checkpoint).signature, "hex");
  const given = Buffer.from(checkpoint.signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
