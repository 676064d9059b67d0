import { html } from "../html.js";
import { type PageSession, signedInPage } from "./layout.js";

/** The approvals page: its script fills the lists from `/v1/approvals` and keeps them live. */
export function approvalsPage(session: PageSession): string {
  const main = html`<section aria-labelledby="pending-heading">
<h2 id="pending-heading">Waiting for a decision <span id="pending-count" class="count"></span></h2>
<p id="live-status" class="help" role="status">Connecting for live updates…</p>
<ol id="pending" class="cards" aria-live="polite"></ol>
<p id="pending-empty" class="empty" hidden>Nothing is waiting for approval.</p>
</section>
<section aria-labelledby="decided-heading">
<h2 id="decided-heading">Decided while this page was open</h2>
<ol id="decided" class="cards"></ol>
<p id="decided-empty" class="empty">None yet.</p>
</section>`;
  return signedInPage({ slug: "approvals", session, main });
}
