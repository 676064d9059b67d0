// The agents and admins page: GET/POST/DELETE /v1/agents and /v1/admins, POST …/rotate-key and
// /v1/admins/{id}/make-operator. A new key is shown once, with a copy button, and forgotten by the
// page when dismissed; it is never logged.
import {
  ApiProblem,
  api,
  element,
  formError,
  localTime,
  onSubmit,
  showError,
  signedInAdminId,
} from "./console-api.js";

const pageError = document.getElementById("page-error");
const keyBox = document.getElementById("new-key");
const keyValue = document.getElementById("new-key-value");
const copyStatus = document.getElementById("copy-status");

function showKey(key) {
  keyValue.textContent = key;
  copyStatus.textContent = "";
  keyBox.hidden = false;
  document.getElementById("copy-key").focus();
}

document.getElementById("copy-key").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(keyValue.textContent);
    copyStatus.textContent = "Copied.";
  } catch {
    // No clipboard access (an insecure origin): select the key so it can be copied by hand.
    getSelection().selectAllChildren(keyValue);
    copyStatus.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
});
/** Set when the signed-in admin rotated its own key: the session ended with the old key. */
let signInAgain = false;

document.getElementById("dismiss-key").addEventListener("click", () => {
  keyValue.textContent = "";
  keyBox.hidden = true;
  if (signInAgain) location.assign("/console/sign-in?notice=rotated");
});

const dialog = document.getElementById("confirm-dialog");

/**
 * Asks in the confirm dialog; resolves to null when cancelled, else `{ revokeTokens }` (the
 * "also revoke" box, offered when `withRevoke`).
 */
function confirmAction({ heading, text, confirm, withRevoke }) {
  document.getElementById("confirm-heading").textContent = heading;
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-ok").textContent = confirm;
  document.getElementById("confirm-revoke-field").hidden = !withRevoke;
  document.getElementById("confirm-revoke").checked = false;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        const revokeTokens = document.getElementById("confirm-revoke").checked;
        resolve(dialog.returnValue === "ok" ? { revokeTokens: withRevoke && revokeTokens } : null);
      },
      { once: true },
    );
  });
}

/** A "Rotate key" button: confirm (with "also revoke its tokens"), rotate, show the new key once. */
function rotateButton(label, path, own) {
  const button = element(
    "button",
    { type: "button", "aria-label": `Rotate key of ${label}` },
    own ? "Rotate my key" : "Rotate key",
  );
  button.addEventListener("click", async () => {
    const choice = await confirmAction({
      heading: `Rotate the key of ${label}?`,
      text: own
        ? "A new key is shown once; your current key, and this console session, stop working at once. Sign in again with the new key."
        : "A new key is shown once; the current key stops working at once. Give the new key to the agent.",
      confirm: "Rotate key",
      withRevoke: true,
    });
    if (choice === null) return;
    try {
      const rotated = await api("POST", path, { body: { revoke_tokens: choice.revokeTokens } });
      signInAgain = own;
      showKey(rotated.api_key);
      if (!own) await refresh();
    } catch (error) {
      showError(pageError, error);
    }
  });
  return button;
}

/** A "Make operator" button (the operator only): confirm, hand the role on, refresh. */
function operatorButton(admin) {
  const button = element(
    "button",
    { type: "button", "aria-label": `Make ${admin.name} the operator` },
    "Make operator",
  );
  button.addEventListener("click", async () => {
    const choice = await confirmAction({
      heading: `Make ${admin.name} the operator?`,
      text: "They may then create tenants and delete your key; you become a plain admin (approver).",
      confirm: "Make operator",
      withRevoke: false,
    });
    if (choice === null) return;
    try {
      await api("POST", `/v1/admins/${encodeURIComponent(admin.id)}/make-operator`);
      await refresh();
    } catch (error) {
      showError(pageError, error);
    }
  });
  return button;
}

/** From two admins on, creating or deleting an admin waits for a second admin: say so. */
function awaitingSecondAdmin(error, what) {
  if (!(error instanceof ApiProblem) || error.code !== "APPROVAL_PENDING") return error;
  const id = error.details?.approval_request_id ?? "";
  return formError(
    `${what} needs a second admin's approval: request ${id} waits on the Approvals page for another admin. Once it is approved, do it again here.`,
  );
}

/** A Delete button that asks once more ("Confirm delete") before it acts. */
function deleteButton(label, act) {
  const button = element(
    "button",
    { type: "button", class: "danger", "aria-label": `Delete ${label}` },
    "Delete",
  );
  let armed = false;
  let timer = null;
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = "Confirm delete";
      button.setAttribute("aria-label", `Confirm: delete ${label}`);
      timer = setTimeout(() => {
        armed = false;
        button.textContent = "Delete";
        button.setAttribute("aria-label", `Delete ${label}`);
      }, 5000);
      return;
    }
    clearTimeout(timer);
    button.disabled = true;
    try {
      await act();
    } catch (error) {
      showError(pageError, error);
      button.disabled = false;
    }
  });
  return button;
}

async function refresh() {
  try {
    const [agents, admins] = await Promise.all([
      api("GET", "/v1/agents"),
      api("GET", "/v1/admins"),
    ]);
    document.querySelector("#agents tbody").replaceChildren(
      ...agents.items.map((agent) =>
        element(
          "tr",
          { "data-id": agent.id },
          element(
            "td",
            {},
            element("strong", {}, agent.name),
            element("br"),
            element("code", { class: "help" }, agent.id),
            agent.description ? [element("br"), agent.description] : null,
          ),
          element("td", {}, agent.allowed_scopes.join(", ")),
          element("td", {}, localTime(agent.created_at)),
          element(
            "td",
            {},
            rotateButton(
              `agent ${agent.name}`,
              `/v1/agents/${encodeURIComponent(agent.id)}/rotate-key`,
              false,
            ),
            " ",
            deleteButton(`agent ${agent.name}`, async () => {
              await api("DELETE", `/v1/agents/${encodeURIComponent(agent.id)}`);
              await refresh();
            }),
          ),
        ),
      ),
    );
    const me = signedInAdminId();
    const iAmOperator = admins.items.some((admin) => admin.id === me && admin.is_operator);
    document.querySelector("#admins tbody").replaceChildren(
      ...admins.items.map((admin) =>
        element(
          "tr",
          { "data-id": admin.id },
          element(
            "td",
            {},
            element("strong", {}, admin.name),
            admin.id === me ? " (you)" : "",
            element("br"),
            element("code", { class: "help" }, admin.id),
          ),
          element("td", {}, admin.is_operator ? "operator" : "approver"),
          element("td", {}, localTime(admin.created_at)),
          element(
            "td",
            {},
            admin.id === me
              ? rotateButton(
                  `admin ${admin.name} (you)`,
                  `/v1/admins/${encodeURIComponent(admin.id)}/rotate-key`,
                  true,
                )
              : [
                  ...(iAmOperator ? [operatorButton(admin), " "] : []),
                  deleteButton(`admin ${admin.name}`, async () => {
                    try {
                      await api("DELETE", `/v1/admins/${encodeURIComponent(admin.id)}`);
                    } catch (error) {
                      throw awaitingSecondAdmin(error, `Deleting ${admin.name}`);
                    }
                    await refresh();
                  }),
                ],
          ),
        ),
      ),
    );
    showError(pageError, null);
  } catch (error) {
    showError(pageError, error);
  }
}

onSubmit(document.getElementById("agent-form"), async () => {
  const name = document.getElementById("agent-name").value.trim();
  const description = document.getElementById("agent-description").value.trim();
  const scopes = document
    .getElementById("agent-scopes")
    .value.split(/[,\s]+/)
    .filter(Boolean);
  if (name === "") throw formError("Give the agent a name.");
  if (scopes.length === 0)
    throw formError("Give at least one allowed scope, such as secrets:read:production/*.");
  const created = await api("POST", "/v1/agents", {
    body: { name, description: description === "" ? null : description, allowed_scopes: scopes },
  });
  document.getElementById("agent-form").reset();
  showKey(created.api_key);
  await refresh();
});

onSubmit(document.getElementById("admin-form"), async () => {
  const name = document.getElementById("admin-name").value.trim();
  if (name === "") throw formError("Give the admin a name: it is shown beside their approvals.");
  const created = await api("POST", "/v1/admins", { body: { name } }).catch((error) => {
    throw awaitingSecondAdmin(error, `Creating the admin ${name}`);
  });
  document.getElementById("admin-form").reset();
  showKey(created.api_key);
  await refresh();
});

await refresh();
