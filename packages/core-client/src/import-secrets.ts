import type { AgentVault } from "./agent-vault.js";
import { dotenvSensitiveValues } from "./internal/dotenv-values.js";
import { invalid } from "./internal/option-checks.js";
import { secretWriteFields } from "./internal/secret-write-fields.js";
import { accessOf } from "./internal/vault-access.js";
import { toImportResult } from "./internal/wire-mappers.js";
import type { ImportResult } from "./models/import-result.js";
import type { ImportSecretsOptions } from "./request-options.js";

/**
 * Imports `.env` text (`KEY=VALUE` lines) into `namespace` through `vault` (an `AgentVault`;
 * this function is the `@agentsecretstore/client/import` entry point's): each key becomes
 * the secret `<namespace>/<KEY>`, all or none. The tier, type, description, tags and expiry
 * options apply to every key. Safe to retry, like `setSecret`; the vault's cache drops what
 * is below `namespace`.
 *
 * @throws AgentVaultConfigurationError when `vault` is not an `AgentVault`
 * @throws AgentVaultValidationError when `namespace` or `content` is not a string
 * @example
 * const result = await importSecrets(vault, "staging/app", await readFile(".env", "utf8"));
 * result.imported; // ["DATABASE_URL", "OPENAI_API_KEY"]
 */
export async function importSecrets(
  vault: AgentVault,
  namespace: string,
  content: string,
  options: ImportSecretsOptions = {},
): Promise<ImportResult> {
  const access = accessOf(vault);
  if (typeof namespace !== "string") throw invalid("namespace", "must be a string");
  if (typeof content !== "string") throw invalid("content", "must be a string (.env text)");
  try {
    const body = await access.call("POST", "/secrets/import", options, {
      body: { namespace, content, ...secretWriteFields(options) },
      sensitiveValues: dotenvSensitiveValues(content),
    });
    return toImportResult(body, namespace);
  } finally {
    // Also when the outcome is unknown (a timeout): any secret below it may have changed.
    access.cache?.invalidateNamespace(namespace);
  }
}
