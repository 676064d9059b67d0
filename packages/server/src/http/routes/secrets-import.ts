import { checkNamespace, checkSecretPath, type SecretPath } from "@agentsecretstore/protocol";
import { parseDotenv } from "../../import/parse-dotenv.js";
import { appendAudit } from "../../vault/audit-event.js";
import { authorizeAction, consumeTokenUse } from "../../vault/guard.js";
import { checkValueSize } from "../../vault/secret-values.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { validationError } from "../../vault/vault-error.js";
import { idempotentWrite, writeSecretVersion } from "../../vault/write-secret.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import { importResponse, importSecretsBody } from "../schemas/secret-schemas.js";
import { readSecretFields } from "../secret-fields.js";
import type { VaultApp } from "../vault-app.js";
import { readIdempotencyKey } from "../write-headers.js";

/** `POST /v1/secrets/import`: a .env file into a namespace, all or nothing. */
export function registerSecretImportRoute(app: VaultApp, context: VaultContext): void {
  app.post(
    "/v1/secrets/import",
    {
      schema: {
        summary: "Import .env text into a namespace (all keys or none)",
        description:
          "KEY=VALUE lines, blank lines and # comments, an optional export prefix, single or double quotes (double quotes take \\n escapes and may span lines). Keys must be valid path segments. Needs write on each <namespace>/<KEY>; the tier/type/tags fields apply to every key. Idempotency-Key as for PUT.",
        tags: ["secrets"],
        body: importSecretsBody,
        response: { 200: importResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 202) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { namespace: rawNamespace, content, ...rest } = request.body;
      const namespace = checkNamespace(rawNamespace);
      if (!namespace.ok)
        throw validationError([{ field: "namespace", message: namespace.message }]);
      const parsed = parseDotenv(content);
      if (!parsed.ok) {
        throw validationError(
          parsed.issues.map((issue) => ({
            field: `content.line ${issue.line}`,
            message: issue.message,
          })),
        );
      }
      const fields = readSecretFields(rest, context.now());
      const targets: { path: SecretPath; value: string }[] = [];
      for (const entry of parsed.entries) {
        const full = namespace.namespace === "" ? entry.key : `${namespace.namespace}/${entry.key}`;
        const checked = checkSecretPath(full);
        if (!checked.ok) {
          throw validationError([
            { field: `content.line ${entry.line}`, message: checked.message },
          ]);
        }
        checkValueSize(context, entry.value, `value of ${entry.key}`);
        targets.push({ path: checked.path, value: entry.value });
      }
      for (const target of targets) {
        await authorizeAction(context, originOf(request), principal, "write", target.path.full);
      }
      const idempotencyKey = readIdempotencyKey(request);
      await consumeTokenUse(context, originOf(request), principal);
      const imported = parsed.entries.map((entry) => entry.key);
      const body = { namespace: namespace.namespace, imported, imported_count: imported.length };
      const response = await idempotentWrite(
        context,
        principal,
        idempotencyKey,
        { method: "POST", action: "import", body: request.body },
        async (stores) => {
          for (const target of targets) {
            await writeSecretVersion(stores, context, originOf(request), principal, target.path, {
              value: target.value,
              fields,
            });
          }
          await appendAudit(stores, context, originOf(request), principal, {
            event: "secret.imported",
            outcome: "success",
            path: namespace.namespace === "" ? null : namespace.namespace,
            detail: { count: targets.length },
          });
          return { statusCode: 200, body };
        },
      );
      return response.body as typeof body;
    },
  );
}
