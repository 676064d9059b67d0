import { bearer, type TestServer } from "./test-server.js";

/** Creates a named admin (an approver) in the server's default tenant; returns its key and id. */
export async function createAdmin(
  server: TestServer,
  name: string,
  adminKey = server.adminKey,
): Promise<{ adminKey: string; adminId: string }> {
  const response = await server.app.inject({
    method: "POST",
    url: "/v1/admins",
    headers: bearer(adminKey),
    payload: { name },
  });
  if (response.statusCode !== 201) throw new Error(`admin creation failed: ${response.body}`);
  const body = response.json() as { api_key: string; admin_id: string };
  return { adminKey: body.api_key, adminId: body.admin_id };
}

/** `POST /v1/approvals/{id}/{action}` with an optional comment. */
export async function decide(
  server: TestServer,
  credential: string,
  approvalId: string,
  action: "approve" | "deny" | "cancel",
  comment?: string,
) {
  return server.app.inject({
    method: "POST",
    url: `/v1/approvals/${approvalId}/${action}`,
    headers: bearer(credential),
    ...(comment === undefined ? {} : { payload: { comment } }),
  });
}

/** Audit event names of the default tenant, in order (read with the operator's key). */
export async function auditEvents(
  server: TestServer,
  event?: string,
): Promise<{ event: string; outcome: string; actor_type: string; detail: unknown }[]> {
  const query = event === undefined ? "" : `&event=${event}`;
  const response = await server.app.inject({
    method: "GET",
    url: `/v1/audit?limit=500${query}`,
    headers: bearer(server.adminKey),
  });
  return response.json().items;
}
