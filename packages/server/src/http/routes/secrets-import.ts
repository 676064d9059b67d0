import { importSecrets } from "../../vault/import-secrets.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { actorOf } from "../request-actor.js";
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
      // Every answer past the schema ends in guardedWrite, whose token use confirms the principal.
      config: { cachedPrincipal: true },
      schema: {
        summary: "Import .env text into a namespace (all keys or none)",
        description:
          "KEY=VALUE lines, blank lines and # comments, an optional export prefix, single or double quotes (double quotes take \\n escapes and may span lines). Keys must be valid path segments. Needs write on each <namespace>/<KEY>; the tier/type/tags fields apply to every key. Idempotency-Key as for PUT.",
        tags: ["secrets"],
        body: importSecretsBody,
        response: { 200: importResponse, ...errorResponses(...AUTHENTICATED_ERRORS, 202, 423) },
      },
    },
    async (request) => {
      const { namespace, content, ...rest } = request.body;
      return importSecrets(context, actorOf(request), {
        namespace,
        content,
        fields: readSecretFields(rest, context.now()),
        idempotencyKey: readIdempotencyKey(request),
        fingerprint: { method: "POST", action: "import", body: request.body },
      });
    },
  );
}
