import { html } from "../html.js";
import { type PageSession, signedInPage } from "./layout.js";

/** The audit page: the hash chain's verification, then events filtered by path, event, actor, time. */
export function auditPage(session: PageSession): string {
  const main = html`<section aria-labelledby="chain-heading" class="card">
<h2 id="chain-heading">Hash chain</h2>
<p id="chain" role="status">Checking the chain…</p>
<div class="actions"><button type="button" id="verify" class="quiet">Verify again</button></div>
</section>
<form id="filters" class="card action filters" novalidate>
<h2>Filter</h2>
<div class="field"><label for="filter-path">Path</label><input id="filter-path" autocomplete="off" spellcheck="false"></div>
<div class="field"><label for="filter-event">Event</label><input id="filter-event" list="event-names" autocomplete="off" spellcheck="false" placeholder="secret.read"></div>
<datalist id="event-names">${[
    "secret.created",
    "secret.read",
    "secret.updated",
    "secret.rotated",
    "secret.deleted",
    "secret.used",
    "token.issued",
    "token.revoked",
    "token.denied",
    "approval.requested",
    "approval.granted",
    "approval.denied",
    "approval.cancelled",
    "auth.failed",
    "console.signed_in",
  ].map((name) => html`<option value="${name}"></option>`)}</datalist>
<div class="field"><label for="filter-actor">Actor id</label><input id="filter-actor" autocomplete="off" spellcheck="false" placeholder="agt_… or adm_…"></div>
<div class="field"><label for="filter-from">From</label><input id="filter-from" type="datetime-local"></div>
<div class="field"><label for="filter-until">Until</label><input id="filter-until" type="datetime-local"></div>
<div role="alert" class="error" hidden></div>
<div class="actions"><button type="submit">Apply filters</button></div>
</form>
<h2>Events <span id="event-count" class="count"></span></h2>
<div class="table-wrap"><table id="events"><thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Path</th><th scope="col">Address</th></tr></thead><tbody></tbody></table></div>
<p id="events-empty" class="empty" hidden>No events match.</p>
<div class="actions"><button type="button" id="more" class="quiet" hidden>Load more</button></div>`;
  return signedInPage({ slug: "audit", session, main });
}
