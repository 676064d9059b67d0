import {
  checkNamespace,
  checkSecretPath,
  parseDotenv,
  type SecretPath,
} from "@agentsecretstore/protocol";
import type { Actor } from "./actor.js";
import { appendAudit } from "./audit-event.js";
import { guardedWrite } from "./guarded-write.js";
import { checkValueSize } from "./secret-values.js";
import type { VaultContext } from "./vault-context.js";
import { validationError } from "./vault-error.js";
import { type WriteOptions, writeSecretVersion } from "./write-secret.js";

/** A .env import as a request asks for it. */
export type ImportSecrets = {
  namespace: string;
  /** The .env text. */
  content: string;
  /** Tier, type, tags… given to every key. */
  fields: WriteOptions["fields"];
  idempotencyKey: string | undefined;
  /** What makes a retry the same request (see `guardedWrite`). */
  fingerprint: unknown;
};

/** What an import wrote. */
export type ImportResult = {
  namespace: string;
  imported: string[];
  /** The hosted product's name for `imported`. */
  keys: string[];
  imported_count: number;
  /** Always 0: every key is written, all or none (the hosted product reads it). */
  skipped: number;
};

/**
 * Writes every key of a .env text below `namespace`, all or none: the text is parsed and every
 * path and value checked first, `write` is needed on each `<namespace>/<KEY>`, then one
 * transaction writes them all with one audit event.
 */
export async function importSecrets(
  context: VaultContext,
  actor: Actor,
  request: ImportSecrets,
): Promise<ImportResult> {
  const namespace = checkNamespace(request.namespace);
  if (!namespace.ok) throw validationError([{ field: "namespace", message: namespace.message }]);
  const parsed = parseDotenv(request.content);
  if (!parsed.ok) {
    throw validationError(
      parsed.issues.map((issue) => ({
        field: `content.line ${issue.line}`,
        message: issue.message,
      })),
    );
  }
  const targets: { path: SecretPath; value: string }[] = [];
  for (const entry of parsed.entries) {
    const full = namespace.namespace === "" ? entry.key : `${namespace.namespace}/${entry.key}`;
    const checked = checkSecretPath(full);
    if (!checked.ok) {
      throw validationError([{ field: `content.line ${entry.line}`, message: checked.message }]);
    }
    checkValueSize(context, entry.value, `value of ${entry.key}`);
    targets.push({ path: checked.path, value: entry.value });
  }
  const imported = parsed.entries.map((entry) => entry.key);
  const result = {
    namespace: namespace.namespace,
    imported,
    keys: imported,
    imported_count: imported.length,
    skipped: 0,
  };
  const { principal, origin } = actor;
  const answer = await guardedWrite(
    context,
    actor,
    {
      action: "write",
      paths: targets.map((target) => target.path.full),
      idempotencyKey: request.idempotencyKey,
      fingerprint: request.fingerprint,
    },
    async (stores) => {
      for (const target of targets) {
        await writeSecretVersion(stores, context, origin, principal, target.path, {
          value: target.value,
          fields: request.fields,
        });
      }
      await appendAudit(stores, context, origin, principal, {
        event: "secret.imported",
        outcome: "success",
        path: namespace.namespace === "" ? null : namespace.namespace,
        detail: { count: targets.length },
      });
      return { statusCode: 200, body: result };
    },
  );
  return answer.body as ImportResult;
}
