import { bearer, type TestServer } from "./test-server.js";

/**
 * Creates a named admin (an approver) in the server's default tenant; returns its key and id. With
 * two or more admins, creating one is a two-person action: pass `approverKey`, another admin who
 * approves the request, and the creation is made again once approved.
 */
export async function createAdmin(
  server: TestServer,
  name: string,
  adminKey = server.adminKey,
  approverKey?: string,
): Promise<{ adminKey: string; adminId: string }> {
  const create = () =>
    server.app.inject({
      method: "POST",
      url: "/v1/admins",
      headers: bearer(adminKey),
      payload: { name },
    });
  let response = await create();
  if (response.statusCode === 202 && approverKey !== undefined) {
    const approvalId = response.json().error.approval_request_id as string;
    const approved = await decide(server, approverKey, approvalId, "approve");
    if (approved.statusCode !== 200) throw new Error(`admin approval failed: ${approved.body}`);
    response = await create();
  }
  if (response.statusCode !== 201) throw new Error(`admin creation failed: ${response.body}`);
  const body = response.json() as { api_key: string; admin_id: string };
  return { adminKey: body.api_key, adminId: body.admin_id };
}

/**
 * `DELETE /v1/admins/{id}` by `adminKey`; with two or more admins a two-person action, so
 * `approverKey` approves the request and the deletion is made again. Returns the last answer.
 */
export async function deleteAdmin(
  server: TestServer,
  adminId: string,
  adminKey = server.adminKey,
  approverKey?: string,
) {
  const remove = () =>
    server.app.inject({
      method: "DELETE",
      url: `/v1/admins/${adminId}`,
      headers: bearer(adminKey),
    });
  const response = await remove();
  if (response.statusCode !== 202 || approverKey === undefined) return response;
  const approvalId = response.json().error.approval_request_id as string;
  const approved = await decide(server, approverKey, approvalId, "approve");
  if (approved.statusCode !== 200) throw new Error(`deletion approval failed: ${approved.body}`);
  return remove();
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
