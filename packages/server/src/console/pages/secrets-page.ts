import { SECRET_TYPES, TIERS } from "@agentsecretstore/protocol";
import { html, type SafeHtml } from "../html.js";
import { type PageSession, signedInPage } from "./layout.js";

/** What each tier asks of people (approval-policy.ts decides; this only says it). */
const TIER_HELP: Record<(typeof TIERS)[number], string> = {
  standard: "no approval",
  sensitive: "one approval",
  critical: "two approvals, then a delay",
};

const TIER_OPTIONS = TIERS.map(
  (tier) => html`<option value="${tier}">${tier} (${TIER_HELP[tier]})</option>`,
);

const TYPE_OPTIONS = [...SECRET_TYPES]
  .sort((a, b) => (a === "custom" ? -1 : b === "custom" ? 1 : 0))
  .map((type) => html`<option value="${type}">${type}</option>`);

/** One labelled field; `control` is the input itself, with the id `id`. */
function field(id: string, label: string, control: SafeHtml, help?: string): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label>${control}${
    help === undefined ? "" : html`<p class="help" id="${id}-help">${help}</p>`
  }</div>`;
}

/** A form of the detail pane: heading, fields, its own error region, one submit button. */
function actionForm(
  id: string,
  heading: string,
  fields: SafeHtml[],
  button: string,
  options: { danger?: boolean; hidden?: boolean } = {},
): SafeHtml {
  const danger = options.danger === true;
  return html`<form id="${id}" class="card action" novalidate${options.hidden ? html` hidden` : ""}>
<h3>${heading}</h3>
${fields}
<div role="alert" class="error" hidden></div>
<div class="actions"><button type="submit"${danger ? html` class="danger"` : ""}>${button}</button></div>
</form>`;
}

/** The secrets page: a namespace tree, one secret's metadata and versions, and its actions. */
export function secretsPage(session: PageSession): string {
  const main = html`<div class="split">
<section aria-labelledby="tree-heading" class="tree-pane">
<h2 id="tree-heading">Namespaces</h2>
<div class="actions"><button type="button" id="show-create">New secret</button></div>
<div id="tree" class="tree"></div>
<p id="tree-empty" class="empty" hidden>No secrets yet.</p>
</section>
<section aria-labelledby="detail-heading" class="detail-pane">
<h2 id="detail-heading" tabindex="-1">Choose a secret</h2>
<p id="detail-hint" class="help">Pick a secret in the tree to see its metadata, versions and actions.
Values are never listed; Reveal asks for your admin key again.</p>
${actionForm(
  "create-form",
  "New secret",
  [
    field(
      "create-path",
      "Path",
      html`<input id="create-path" required spellcheck="false" autocomplete="off" placeholder="production/openai/api-key">`,
      "Segments of letters, digits, '.', '_' or '-', joined by '/'.",
    ),
    field(
      "create-value",
      "Value",
      html`<input id="create-value" type="password" required autocomplete="off">`,
    ),
    field("create-tier", "Tier", html`<select id="create-tier">${TIER_OPTIONS}</select>`),
    field("create-type", "Type", html`<select id="create-type">${TYPE_OPTIONS}</select>`),
    field(
      "create-description",
      "Description (optional)",
      html`<input id="create-description" autocomplete="off">`,
    ),
    field(
      "create-tags",
      "Tags (optional)",
      html`<input id="create-tags" autocomplete="off" placeholder="team=ml, env=prod">`,
      "key=value pairs separated by commas.",
    ),
  ],
  "Create secret",
  { hidden: true },
)}
<div id="secret-detail" hidden>
<dl id="secret-facts" class="facts"></dl>
<h3>Versions</h3>
<div class="table-wrap"><table id="versions"><caption class="help">Newest first. A retired version is no longer readable.</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Created</th><th scope="col">Readable</th></tr></thead><tbody></tbody></table></div>
${actionForm(
  "reveal-form",
  "Reveal the value",
  [
    field(
      "reveal-key",
      "Admin key",
      html`<input id="reveal-key" type="password" required autocomplete="off" spellcheck="false">`,
      "Asked for again for each reveal; the read is audited and the value hides itself after 30 seconds.",
    ),
  ],
  "Reveal",
)}
<div id="revealed" class="card revealed" hidden><p class="help">Value (hides in <span id="reveal-countdown" role="timer">30</span> s)</p>
<output id="revealed-value" class="value"></output>
<div class="actions"><button type="button" id="hide-value" class="quiet">Hide now</button></div></div>
${actionForm(
  "rotate-form",
  "Rotate",
  [
    field(
      "rotate-value",
      "New value",
      html`<input id="rotate-value" type="password" required autocomplete="off">`,
    ),
    field(
      "rotate-grace",
      "Grace period (seconds)",
      html`<input id="rotate-grace" type="number" min="0" max="2592000" value="300" inputmode="numeric">`,
      "How long the old version stays readable by its version number (at most 30 days).",
    ),
  ],
  "Rotate",
)}
${actionForm(
  "tier-form",
  "Change tier",
  [
    field("tier-tier", "New tier", html`<select id="tier-tier">${TIER_OPTIONS}</select>`),
    field(
      "tier-value",
      "Value for the new version",
      html`<input id="tier-value" type="password" required autocomplete="off">`,
      "A tier change writes a new version; enter the current value (or a new one). Description, type and tags are kept.",
    ),
  ],
  "Change tier",
)}
${actionForm(
  "delete-form",
  "Delete",
  [
    field(
      "delete-confirm",
      "Type the path to confirm",
      html`<input id="delete-confirm" required autocomplete="off" spellcheck="false">`,
      "Every version is destroyed; this cannot be undone.",
    ),
  ],
  "Delete secret",
  { danger: true },
)}
</div>
</section>
</div>`;
  return signedInPage({ slug: "secrets", session, main });
}
