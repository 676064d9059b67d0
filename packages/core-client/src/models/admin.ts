/**
 * An admin: a named person (or tool) holding an admin key (`ass_admin_…`). Each admin is a
 * separate approver, so a critical secret's two approvals come from two admins.
 */
export interface Admin {
  /** Id of the admin, for `deleteAdmin` and the audit log. Not a credential. */
  readonly adminId: string;
  readonly name: string;
  /** Whether this is the operator's key (printed at first start), which may create tenants. */
  readonly isOperator: boolean;
  /** When it was created, or `null` when the server did not say. */
  readonly createdAt: Date | null;
}
