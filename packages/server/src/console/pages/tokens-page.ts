import { html } from "../html.js";
import { type PageSession, signedInPage } from "./layout.js";

/** The tokens page: live tokens as parent/child trees; revoking one revokes its descendants. */
export function tokensPage(session: PageSession): string {
  const main = html`<p class="help">Live tokens of this tenant (not revoked, not expired, uses left),
each child under its parent. Revoking a token also revokes every token minted from it. Values are
never shown.</p>
<div class="actions"><button type="button" id="refresh" class="quiet">Refresh</button></div>
<ul id="tokens" class="token-tree" aria-label="Live tokens"></ul>
<p id="tokens-empty" class="empty" hidden>No live tokens.</p>`;
  return signedInPage({ slug: "tokens", session, main });
}
