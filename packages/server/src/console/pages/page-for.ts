import { approvalsPage } from "./approvals-page.js";
import { auditPage } from "./audit-page.js";
import type { ConsolePageSlug, PageSession } from "./layout.js";
import { peoplePage } from "./people-page.js";
import { secretsPage } from "./secrets-page.js";
import { tokensPage } from "./tokens-page.js";

const PAGES: Record<ConsolePageSlug, (session: PageSession) => string> = {
  approvals: approvalsPage,
  secrets: secretsPage,
  tokens: tokensPage,
  people: peoplePage,
  audit: auditPage,
};

/** The markup of a signed-in page. */
export function pageFor(slug: ConsolePageSlug, session: PageSession): string {
  return PAGES[slug](session);
}
