import type { AuditEvent } from "./models/audit-event.js";
import type { AuditPage } from "./models/audit-page.js";
import { PagedList } from "./paged-list.js";

/**
 * What `listAudit` returns: await it for one page, or iterate it with `for await` for every
 * event of every page. Nothing is requested until it is awaited or iterated.
 *
 * @example
 * const page = await admin.listAudit({ event: "secret.read", limit: 100 }); // page.items, page.nextCursor
 * for await (const event of admin.listAudit({ path: "production/openai/api-key" })) events.push(event);
 */
export class AuditList extends PagedList<AuditEvent, AuditPage> {
  protected override describeListing(): string {
    return "the audit log";
  }
}
