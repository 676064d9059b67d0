import { checkSecretPath, scopesAllow } from "@agentsecretstore/protocol";
import type { SecretRecord } from "../store/secrets-store.js";
import { scopesOf } from "./guard.js";
import type { Principal } from "./principal.js";
import { toSecretMetadataBody } from "./secret-fields.js";
import type { VaultContext } from "./vault-context.js";
import { validationError } from "./vault-error.js";

export const DEFAULT_PAGE_SIZE = 50;
const SCAN_BATCH = 200;
/** Rows looked at per request at most, so a sparse filtered listing cannot scan forever. */
const MAX_SCANNED = 5000;

export type SecretPageBody = {
  namespace: string;
  items: ReturnType<typeof toSecretMetadataBody>[];
  next_cursor: string | null;
};

function encodeCursor(path: string): string {
  return Buffer.from(path, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const path = Buffer.from(cursor, "base64url").toString("utf8");
  if (!checkSecretPath(path).ok || encodeCursor(path) !== cursor) {
    throw validationError([
      { field: "cursor", message: "is not a cursor this server gave out; pass next_cursor as is" },
    ]);
  }
  return path;
}

/**
 * One page of the live secrets below `namespace` that the principal may read, ordered by path.
 * The cursor is the last path handed out; `next_cursor` is null at the end.
 */
export async function listReadableSecrets(
  context: VaultContext,
  principal: Principal,
  options: { namespace: string; limit: number; cursor: string | null },
): Promise<SecretPageBody> {
  const scopes = scopesOf(principal);
  const readable = (secret: SecretRecord) =>
    scopes === "all" || scopesAllow(scopes, "read", secret.path);
  const items: SecretRecord[] = [];
  let after = options.cursor === null ? null : decodeCursor(options.cursor);
  let scanned = 0;
  const nowIso = context.now().toISOString();
  const page = (next: string | null): SecretPageBody => ({
    namespace: options.namespace,
    items: items.map(toSecretMetadataBody),
    next_cursor: next === null ? null : encodeCursor(next),
  });
  for (;;) {
    const rows = await context.data.secrets.listBelow({
      tenantId: principal.tenantId,
      namespace: options.namespace,
      afterPath: after,
      limit: SCAN_BATCH,
      nowIso,
    });
    for (const row of rows) {
      if (readable(row)) {
        // One more readable item exists: the page is full and there is a next one.
        if (items.length === options.limit) return page(items[items.length - 1]?.path ?? null);
        items.push(row);
      }
      after = row.path;
      scanned += 1;
      if (scanned >= MAX_SCANNED) return page(after);
    }
    if (rows.length < SCAN_BATCH) return page(null);
  }
}
