import { approvalsPage } from "./approvals-page.js";
import type { ConsolePageSlug, PageSession } from "./layout.js";
import { secretsPage } from "./secrets-page.js";

const PAGES: Record<ConsolePageSlug, (session: PageSession) => string> = {
  approvals: approvalsPage,
  secrets: secretsPage,
};

/** The markup of a signed-in page. */
export function pageFor(slug: ConsolePageSlug, session: PageSession): string {
  return PAGES[slug](session);
}
