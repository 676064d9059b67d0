import { z } from "zod";
import { listNamespaces } from "../../vault/list-namespaces.js";
import type { VaultContext } from "../../vault/vault-context.js";
import { originOf } from "../request-origin.js";
import { principalOf } from "../request-principal.js";
import { AUTHENTICATED_ERRORS, errorResponses } from "../schemas/error-schema.js";
import type { VaultApp } from "../vault-app.js";

const namespaceList = z.object({
  namespaces: z
    .array(z.string())
    .describe("Every namespace holding a live secret, with its ancestors, sorted; names only"),
});

/** `GET /v1/namespaces`: the tenant's namespace names (docs/protocol.md, "Secrets"). */
export function registerNamespaceRoutes(app: VaultApp, context: VaultContext): void {
  app.get(
    "/v1/namespaces",
    {
      schema: {
        summary: "List the tenant's namespace names (namespaces:read)",
        description:
          "Needs the scope namespaces:read, or one that reads every secret (secrets:read:*); admins may. Names only: never a key, a value or metadata. 403 SCOPE_DENIED otherwise.",
        tags: ["secrets"],
        response: { 200: namespaceList, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (request) => listNamespaces(context, originOf(request), principalOf(request)),
  );
}
