// The approvals page: pending requests first (who asks, for what, which tier, when it expires),
// approve / deny / cancel with a comment; a critical request shows its approvals so far and the
// countdown of its delay. Live: server-sent events say which request changed; the page re-reads.
import {
  api,
  element,
  localTime,
  relativeTime,
  showError,
  signedInAdminId,
  watchApprovals,
} from "./console-api.js";

const pendingList = document.getElementById("pending");
const pendingEmpty = document.getElementById("pending-empty");
const pendingCount = document.getElementById("pending-count");
const decidedList = document.getElementById("decided");
const decidedEmpty = document.getElementById("decided-empty");
const liveStatus = document.getElementById("live-status");
const pageError = document.getElementById("page-error");
const me = signedInAdminId();

/** Names of agents and admins by id, so that people see names rather than ids. */
const names = new Map();
/** Requests shown as pending, by id: a request that leaves the list is looked up once more. */
let shown = new Map();
const decided = new Map();

async function loadNames() {
  const [agents, admins] = await Promise.all([api("GET", "/v1/agents"), api("GET", "/v1/admins")]);
  for (const principal of [...agents.items, ...admins.items])
    names.set(principal.id, principal.name);
}

function who(id, type) {
  const name = names.get(id);
  const kind = type === "admin" ? "admin" : type === "token" ? "token" : "agent";
  return element("span", { title: id }, name ? `${name} (${kind})` : `${kind} ${id}`);
}

function approverName(entry) {
  if (entry.by === me) return "you";
  return entry.by_name ?? names.get(entry.by) ?? entry.by;
}

function whatOf(approval) {
  if (approval.path) return `Read ${approval.path}`;
  // An admin's request for neither a path nor a token: creating or deleting an admin.
  if (approval.token_id === null && approval.requested_by_type === "admin") {
    return `Admin action: ${approval.scopes.join(", ")}`;
  }
  return `Token for ${approval.scopes.join(", ")}`;
}

function countdownText(eligibleAt) {
  const seconds = Math.max(0, Math.ceil((Date.parse(eligibleAt) - Date.now()) / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function decide(approval, action, comment, errorRegion, buttons) {
  return async () => {
    for (const button of buttons) button.disabled = true;
    showError(errorRegion, null);
    try {
      const text = comment.value.trim();
      const updated = await api(
        "POST",
        `/v1/approvals/${encodeURIComponent(approval.id)}/${action}`,
        {
          body: { comment: text === "" ? null : text },
        },
      );
      comment.value = "";
      await refresh(updated);
    } catch (error) {
      showError(errorRegion, error);
      for (const button of buttons) button.disabled = false;
      if (error.status === 404 || error.code === "CONFLICT") await refresh();
    }
  };
}

function pendingCard(approval) {
  const critical = approval.tier === "critical";
  const mine = approval.approvals.some((entry) => entry.by === me);
  const ownRequest = approval.requested_by === me;
  const inDelay = approval.eligible_at !== null;
  const errorRegion = element("div", { role: "alert", class: "error", hidden: true });
  const commentId = `comment-${approval.id}`;
  const comment = element("input", {
    id: commentId,
    type: "text",
    maxlength: 500,
    autocomplete: "off",
  });
  const approve = element(
    "button",
    { type: "button", disabled: mine || ownRequest || inDelay },
    "Approve",
  );
  const deny = element("button", { type: "button", class: "danger" }, "Deny");
  const cancel = element("button", { type: "button", class: "danger" }, "Cancel request");
  const buttons = [approve, deny, cancel];
  approve.addEventListener("click", decide(approval, "approve", comment, errorRegion, buttons));
  deny.addEventListener("click", decide(approval, "deny", comment, errorRegion, buttons));
  cancel.addEventListener("click", decide(approval, "cancel", comment, errorRegion, buttons));

  const facts = element(
    "dl",
    { class: "facts" },
    element("dt", {}, "Asked by"),
    element("dd", {}, who(approval.requested_by, approval.requested_by_type)),
    element("dt", {}, "Tier"),
    element("dd", {}, element("span", { class: `tier ${approval.tier}` }, approval.tier)),
    approval.path
      ? [element("dt", {}, "Scopes"), element("dd", {}, approval.scopes.join(", "))]
      : null,
    approval.description
      ? [element("dt", {}, "Reason given"), element("dd", {}, approval.description)]
      : null,
    approval.call
      ? [
          element("dt", {}, "Call"),
          element("dd", {}, `${approval.call.method} ${approval.call.url}`),
          element("dt", {}, "Body"),
          element(
            "dd",
            {},
            `${approval.call.body_bytes} bytes, SHA-256 ${approval.call.body_sha256}`,
            approval.call.body_preview ? element("pre", {}, approval.call.body_preview) : null,
          ),
        ]
      : null,
    element("dt", {}, "Asked"),
    element("dd", {}, `${relativeTime(approval.created_at)} (${localTime(approval.created_at)})`),
    element("dt", {}, "Expires"),
    element("dd", {}, `${relativeTime(approval.expires_at)} (${localTime(approval.expires_at)})`),
    element("dt", {}, "Approvals"),
    element(
      "dd",
      {},
      `${approval.approvals.length} of ${approval.required_approvals}`,
      approval.approvals.length > 0
        ? ` — by ${approval.approvals
            .map(
              (entry) =>
                `${approverName(entry)} (${localTime(entry.at)}${entry.comment ? `: “${entry.comment}”` : ""})`,
            )
            .join("; ")}`
        : "",
    ),
  );
  const notes = [];
  if (inDelay) {
    notes.push(
      element(
        "p",
        { class: "note" },
        "Approved by two people. Takes effect in ",
        element(
          "span",
          { class: "countdown", "data-eligible-at": approval.eligible_at, role: "timer" },
          countdownText(approval.eligible_at),
        ),
        " unless someone cancels it.",
      ),
    );
  } else if (mine) {
    notes.push(
      element(
        "p",
        { class: "note" },
        "You have approved this request. A second, different admin must approve it too.",
      ),
    );
  } else if (ownRequest) {
    notes.push(
      element(
        "p",
        { class: "note" },
        "You asked for this yourself, so someone else must approve it.",
      ),
    );
  } else if (critical) {
    notes.push(
      element(
        "p",
        { class: "note" },
        "Critical: needs two different admins, then a delay during which anyone may cancel.",
      ),
    );
  }
  return element(
    "li",
    {
      class: approval.tier,
      "data-approval-id": approval.id,
      "aria-labelledby": `title-${approval.id}`,
    },
    element("h3", { id: `title-${approval.id}` }, whatOf(approval)),
    facts,
    notes,
    element("label", { for: commentId }, "Comment (optional)"),
    comment,
    element("div", { class: "actions" }, approve, deny, cancel),
    errorRegion,
  );
}

function decidedCard(approval) {
  const by = approval.decided_by
    ? ` by ${approval.decided_by === me ? "you" : (names.get(approval.decided_by) ?? approval.decided_by)}`
    : "";
  return element(
    "li",
    { class: approval.tier, "data-approval-id": approval.id },
    element("h3", {}, whatOf(approval)),
    element(
      "p",
      {},
      element("span", { class: `status-${approval.status}` }, approval.status),
      `${by} — ${localTime(approval.decided_at ?? approval.eligible_at)}`,
      approval.decision_comment ? ` (“${approval.decision_comment}”)` : "",
    ),
    element(
      "p",
      { class: "note" },
      "Asked by ",
      who(approval.requested_by, approval.requested_by_type),
      `; tier ${approval.tier}.`,
    ),
  );
}

function render(pending) {
  // Keep focus on the control a person was using when the list is redrawn.
  const active = document.activeElement;
  const activeKey = active?.closest("[data-approval-id]")
    ? [active.closest("[data-approval-id]").dataset.approvalId, active.id || active.textContent]
    : null;
  const typed = new Map();
  for (const input of pendingList.querySelectorAll("input"))
    if (input.value) typed.set(input.id, input.value);
  pendingList.replaceChildren(...pending.map(pendingCard));
  for (const [id, value] of typed) {
    const input = document.getElementById(id);
    if (input) input.value = value;
  }
  if (activeKey) {
    const card = pendingList.querySelector(`[data-approval-id="${CSS.escape(activeKey[0])}"]`);
    const target =
      card &&
      ([...card.querySelectorAll("input, button")].find(
        (node) => node.id === activeKey[1] || node.textContent === activeKey[1],
      ) ??
        null);
    target?.focus();
  }
  pendingEmpty.hidden = pending.length > 0;
  pendingCount.textContent = `(${pending.length})`;
  decidedList.replaceChildren(...[...decided.values()].reverse().map(decidedCard));
  decidedEmpty.hidden = decided.size > 0;
}

let refreshing = null;
let again = false;

/** Re-reads the pending list; requests that left it are read once more to show their outcome. */
async function refresh(known) {
  if (known && known.status !== "pending") decided.set(known.id, known);
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const page = await api("GET", "/v1/approvals?status=pending&limit=200");
      const pending = page.items;
      const now = new Map(pending.map((approval) => [approval.id, approval]));
      for (const id of shown.keys()) {
        if (!now.has(id) && !decided.has(id)) {
          decided.set(id, await api("GET", `/v1/approvals/${encodeURIComponent(id)}`));
        }
      }
      shown = now;
      showError(pageError, null);
      render(pending);
    } catch (error) {
      showError(pageError, error);
    }
  })();
  await refreshing;
  refreshing = null;
  if (again) {
    again = false;
    await refresh();
  }
}

// The countdowns tick every second; one that reaches zero re-reads the list.
setInterval(() => {
  let due = false;
  for (const node of document.querySelectorAll("[data-eligible-at]")) {
    node.textContent = countdownText(node.dataset.eligibleAt);
    if (Date.parse(node.dataset.eligibleAt) <= Date.now()) due = true;
  }
  if (due) void refresh();
}, 1000);

loadNames()
  .catch((error) => showError(pageError, error))
  .then(() => refresh());
watchApprovals(
  () => void refresh(),
  (live) => {
    liveStatus.textContent = live
      ? "Live: changes made elsewhere appear here by themselves."
      : "Reconnecting for live updates…";
  },
);
