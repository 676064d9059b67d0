import type { Page } from "../paged-list.js";
import type { AuditEvent } from "./audit-event.js";

/** One page of the audit log (`items` in chain order, `nextCursor` `null` on the last page). */
export type AuditPage = Page<AuditEvent>;
