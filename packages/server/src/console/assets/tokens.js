// The tokens page: GET /v1/tokens (tree order: each parent right before its children), drawn
// as nested lists; Revoke calls DELETE /v1/tokens/{id}, which revokes the descendants too.
import { api, element, localTime, relativeTime, showError } from "./console-api.js";

const list = document.getElementById("tokens");
const empty = document.getElementById("tokens-empty");
const pageError = document.getElementById("page-error");

function descendantsOf(id, childrenOf) {
  let count = 0;
  for (const child of childrenOf.get(id) ?? [])
    count += 1 + descendantsOf(child.token_id, childrenOf);
  return count;
}

function tokenItem(token, childrenOf) {
  const below = descendantsOf(token.token_id, childrenOf);
  const noteId = `cascade-${token.token_id}`;
  const alert = element("div", { role: "alert", class: "error", hidden: true });
  const revoke = element(
    "button",
    { type: "button", class: "danger", "aria-describedby": noteId },
    "Revoke",
  );
  revoke.addEventListener("click", async () => {
    revoke.disabled = true;
    try {
      await api("DELETE", `/v1/tokens/${encodeURIComponent(token.token_id)}`);
      await refresh();
    } catch (error) {
      showError(alert, error);
      revoke.disabled = false;
    }
  });
  const uses =
    token.max_uses === null
      ? "unlimited uses"
      : `${token.uses_remaining} of ${token.max_uses} uses left`;
  const children = childrenOf.get(token.token_id) ?? [];
  return element(
    "li",
    { "data-token-id": token.token_id },
    element(
      "div",
      { class: "token" },
      element("h3", {}, token.description ?? token.token_id),
      element(
        "p",
        { class: "note" },
        element("code", {}, token.token_id),
        ` · minted by ${token.issuer_type === "token" ? "its parent token" : `${token.issuer_name ?? token.issuer_id} (${token.issuer_type})`}`,
      ),
      element("p", {}, token.scopes.join(", ")),
      element(
        "p",
        { class: "note" },
        `Expires ${relativeTime(token.expires_at)} (${localTime(token.expires_at)}) · ${uses}`,
        token.approval_status === "approved" ? "" : ` · approval ${token.approval_status}`,
      ),
      element(
        "div",
        { class: "actions" },
        revoke,
        element(
          "span",
          { id: noteId, class: "help" },
          below === 0
            ? "No child tokens."
            : `Also revokes its ${below} descendant${below === 1 ? "" : "s"}.`,
        ),
      ),
      alert,
    ),
    children.length > 0
      ? element(
          "ul",
          { class: "token-children" },
          children.map((child) => tokenItem(child, childrenOf)),
        )
      : null,
  );
}

async function refresh() {
  try {
    const { items } = await api("GET", "/v1/tokens");
    const ids = new Set(items.map((token) => token.token_id));
    const childrenOf = new Map();
    const roots = [];
    for (const token of items) {
      if (token.parent_token_id !== null && ids.has(token.parent_token_id)) {
        childrenOf.set(token.parent_token_id, [
          ...(childrenOf.get(token.parent_token_id) ?? []),
          token,
        ]);
      } else {
        roots.push(token);
      }
    }
    list.replaceChildren(...roots.map((token) => tokenItem(token, childrenOf)));
    empty.hidden = items.length > 0;
    showError(pageError, null);
  } catch (error) {
    showError(pageError, error);
  }
}

document.getElementById("refresh").addEventListener("click", refresh);
await refresh();
