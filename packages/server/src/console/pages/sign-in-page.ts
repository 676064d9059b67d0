import { html } from "../html.js";
import { documentOf } from "./layout.js";

/** Why the sign-in page is shown, when it is not the first visit. */
export type SignInNotice = "ended" | "signed-out" | "rotated" | undefined;

const NOTICES: Record<Exclude<SignInNotice, undefined>, string> = {
  ended: "Your session ended (idle too long, expired, or signed out elsewhere). Sign in again.",
  "signed-out": "You are signed out.",
  rotated:
    "Your admin key was rotated: the old key and its sessions stopped. Sign in with the new key.",
};

/**
 * The sign-in form. The key is sent by the page's script in an Authorization header to
 * `POST /console/session`; it never appears in a URL, the page or storage.
 */
export function signInPage(notice: SignInNotice): string {
  const body = html`<main id="main" class="narrow">
<h1>Agent Secret Store console</h1>
${notice === undefined ? "" : html`<p class="notice" role="status">${NOTICES[notice]}</p>`}
<form id="sign-in" class="card" autocomplete="off">
<label for="admin-key">Admin key</label>
<input id="admin-key" name="admin-key" type="password" required spellcheck="false"
 autocomplete="off" aria-describedby="admin-key-help">
<p id="admin-key-help" class="help">The <code>ass_admin_…</code> key printed when the vault
first started, or one made for you with <code>ass admins create</code>. It is exchanged for a
session and not kept by this page.</p>
<div id="sign-in-error" role="alert" class="error" hidden></div>
<button type="submit">Sign in</button>
</form>
</main>`;
  return documentOf({ title: "Sign in", script: "sign-in.js", body });
}
