import { html } from "../html.js";
import { type PageSession, signedInPage } from "./layout.js";

/**
 * The agents and admins page: lists, create (the key shown once), delete, rotate a key (an agent's
 * or one's own; the new key shown once) and hand the operator role on, each after a confirm.
 */
export function peoplePage(session: PageSession): string {
  const main = html`<div id="new-key" class="card revealed" role="region" aria-labelledby="new-key-heading" hidden>
<h2 id="new-key-heading">New key: shown once</h2>
<p class="help">Store it now (a password manager, the agent's secret store). It cannot be shown again;
if it is lost, rotate the key (or delete and create again).</p>
<output id="new-key-value" class="value"></output>
<div class="actions"><button type="button" id="copy-key">Copy key</button>
<button type="button" id="dismiss-key" class="quiet">I have stored it</button>
<span id="copy-status" role="status" class="help"></span></div>
</div>
<dialog id="confirm-dialog" aria-labelledby="confirm-heading">
<form method="dialog" id="confirm-form">
<h2 id="confirm-heading"></h2>
<p id="confirm-text"></p>
<div class="field check" id="confirm-revoke-field"><label><input type="checkbox" id="confirm-revoke"> Also revoke the tokens the old key minted</label></div>
<div class="actions"><button type="submit" id="confirm-ok" value="ok">Confirm</button>
<button type="submit" value="cancel" class="quiet" formnovalidate>Cancel</button></div>
</form>
</dialog>
<section aria-labelledby="agents-heading">
<h2 id="agents-heading">Agents</h2>
<div class="table-wrap"><table id="agents"><thead><tr><th scope="col">Name</th><th scope="col">Allowed scopes</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table></div>
<form id="agent-form" class="card action" novalidate>
<h3>New agent</h3>
<div class="field"><label for="agent-name">Name</label><input id="agent-name" required autocomplete="off"></div>
<div class="field"><label for="agent-description">Description (optional)</label><input id="agent-description" autocomplete="off"></div>
<div class="field"><label for="agent-scopes">Allowed scopes</label><input id="agent-scopes" required autocomplete="off" spellcheck="false" placeholder="secrets:read:production/openai/*" aria-describedby="agent-scopes-help">
<p class="help" id="agent-scopes-help">The agent's ceiling, separated by commas: every token it mints must lie within them.</p></div>
<div role="alert" class="error" hidden></div>
<div class="actions"><button type="submit">Create agent</button></div>
</form>
</section>
<section aria-labelledby="admins-heading">
<h2 id="admins-heading">Admins</h2>
<p class="help">Each admin key is a named approver: a critical request needs two different admins.</p>
<div class="table-wrap"><table id="admins"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table></div>
<form id="admin-form" class="card action" novalidate>
<h3>New admin</h3>
<div class="field"><label for="admin-name">Name</label><input id="admin-name" required autocomplete="off"></div>
<div role="alert" class="error" hidden></div>
<div class="actions"><button type="submit">Create admin</button></div>
</form>
</section>`;
  return signedInPage({ slug: "people", session, main });
}
