// The agents and admins page: GET/POST/DELETE /v1/agents and /v1/admins. A new key is shown
// once, with a copy button, and forgotten by the page when dismissed.
import {
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
document.getElementById("dismiss-key").addEventListener("click", () => {
  keyValue.textContent = "";
  keyBox.hidden = true;
});

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
            deleteButton(`agent ${agent.name}`, async () => {
              await api("DELETE", `/v1/agents/${encodeURIComponent(agent.id)}`);
              await refresh();
            }),
          ),
        ),
      ),
    );
    const me = signedInAdminId();
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
          element("td", {}, admin.is_operator ? "operator (first key)" : "approver"),
          element("td", {}, localTime(admin.created_at)),
          element(
            "td",
            {},
            admin.id === me
              ? ""
              : deleteButton(`admin ${admin.name}`, async () => {
                  await api("DELETE", `/v1/admins/${encodeURIComponent(admin.id)}`);
                  await refresh();
                }),
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
  const created = await api("POST", "/v1/admins", { body: { name } });
  document.getElementById("admin-form").reset();
  showKey(created.api_key);
  await refresh();
});

await refresh();
