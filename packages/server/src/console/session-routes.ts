/**
 * The API routes (method and route template) a console session may call: what the console's
 * pages use, and nothing else. Reading a value (`GET /v1/secrets/*`) is not among them: Reveal
 * sends the admin key, asked for again, instead of the session. Neither is minting a token, which
 * could read values without that.
 */
const SESSION_ROUTES: ReadonlySet<string> = new Set([
  "GET /v1/approvals",
  "GET /v1/approvals/:id",
  "POST /v1/approvals/:id/approve",
  "POST /v1/approvals/:id/deny",
  "POST /v1/approvals/:id/cancel",
  "GET /v1/secrets",
  "GET /v1/metadata/*",
  "PUT /v1/secrets/*",
  "POST /v1/secrets/*",
  "DELETE /v1/secrets/*",
  "GET /v1/tokens",
  "DELETE /v1/tokens/:token_id",
  "GET /v1/agents",
  "POST /v1/agents",
  "DELETE /v1/agents/:id",
  "POST /v1/agents/:id/rotate-key",
  "GET /v1/admins",
  "POST /v1/admins",
  "DELETE /v1/admins/:id",
  "POST /v1/admins/:id/rotate-key",
  "POST /v1/admins/:id/make-operator",
  "GET /v1/audit",
  "GET /v1/audit/verify",
  "GET /v1/me",
  "GET /v1/namespaces",
]);

/** Whether a console session may call this route (`routeUrl`: Fastify's route template). */
export function sessionMayCall(method: string, routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  const verb = method === "HEAD" ? "GET" : method;
  return SESSION_ROUTES.has(`${verb} ${routeUrl}`);
}
