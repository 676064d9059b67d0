import { approvalsPage } from "./approvals-page.js";
import type { ConsolePageSlug, PageSession } from "./layout.js";

const PAGES: Record<ConsolePageSlug, (session: PageSession) => string> = {
  approvals: approvalsPage,
};

/** The markup of a signed-in page. */
export function pageFor(slug: ConsolePageSlug, session: PageSession): string {
  return PAGES[slug](session);
}
