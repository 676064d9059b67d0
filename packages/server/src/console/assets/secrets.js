// The secrets page: the namespace tree (from /v1/secrets listings), one secret's metadata and
// versions (/v1/metadata), and its actions: create, Reveal (the admin key asked for again, sent
// as the credential of that one read), rotate with a grace period, change tier, delete.
import {
  api,
  element,
  formError,
  localTime,
  onSubmit,
  relativeTime,
  showError,
  signedInAdminId,
} from "./console-api.js";

const tree = document.getElementById("tree");
const treeEmpty = document.getElementById("tree-empty");
const heading = document.getElementById("detail-heading");
const hint = document.getElementById("detail-hint");
const detail = document.getElementById("secret-detail");
const facts = document.getElementById("secret-facts");
const versionsBody = document.querySelector("#versions tbody");
const pageError = document.getElementById("page-error");
const createForm = document.getElementById("create-form");
const revealed = document.getElementById("revealed");
const revealedValue = document.getElementById("revealed-value");
const revealCountdown = document.getElementById("reveal-countdown");
const REVEAL_SECONDS = 30;

let selected = null;
let hideTimer = null;

const secretUrl = (path) => `/v1/secrets/${path.split("/").map(encodeURIComponent).join("/")}`;
const metadataUrl = (path) => `/v1/metadata/${path.split("/").map(encodeURIComponent).join("/")}`;

/** Every secret's metadata, page by page (values are never listed). */
async function listAll() {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 50; page += 1) {
    const query = new URLSearchParams({ namespace: "", limit: "200" });
    if (cursor) query.set("cursor", cursor);
    const answer = await api("GET", `/v1/secrets?${query}`);
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** Nested namespaces: { children: Map<segment, node>, secret?: item }. */
function buildTree(items) {
  const root = { children: new Map() };
  for (const item of items) {
    let node = root;
    for (const segment of item.path.split("/")) {
      if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
      node = node.children.get(segment);
    }
    node.secret = item;
  }
  return root;
}

function renderNode(node, prefix) {
  const list = element("ul", {
    role: prefix === "" ? "tree" : "group",
    "aria-label": prefix === "" ? "Secrets by namespace" : null,
  });
  for (const [segment, child] of [...node.children].sort(([a], [b]) => a.localeCompare(b))) {
    const path = prefix === "" ? segment : `${prefix}/${segment}`;
    const item = element("li", { role: "treeitem" });
    if (child.secret) {
      item.append(
        element(
          "button",
          {
            type: "button",
            class: "leaf",
            "data-path": path,
            "aria-current": selected === path ? "true" : null,
            onclick: () => select(path),
          },
          segment,
          " ",
          element("span", { class: `tier ${child.secret.tier}` }, child.secret.tier),
        ),
      );
    }
    if (child.children.size > 0) {
      const open = selected === null || selected.startsWith(`${path}/`) || prefix === "";
      item.append(
        element(
          "details",
          { open },
          element("summary", {}, `${segment}/`),
          renderNode(child, path),
        ),
      );
    }
    list.append(item);
  }
  return list;
}

async function refreshTree() {
  try {
    const items = await listAll();
    tree.replaceChildren(renderNode(buildTree(items), ""));
    treeEmpty.hidden = items.length > 0;
    showError(pageError, null);
  } catch (error) {
    showError(pageError, error);
  }
}

function readableText(version, current) {
  if (version.retired_at === null) return version.version === current ? "yes (current)" : "yes";
  const retired = Date.parse(version.retired_at) <= Date.now();
  return retired
    ? `retired ${localTime(version.retired_at)}`
    : `until ${localTime(version.retired_at)} (${relativeTime(version.retired_at)}, grace period)`;
}

function showFacts(secret) {
  const tags = Object.entries(secret.tags ?? {});
  const rows = [
    ["Path", element("code", {}, secret.path)],
    ["Tier", element("span", { class: `tier ${secret.tier}` }, secret.tier)],
    ["Type", secret.secret_type],
    ["Description", secret.description ?? "—"],
    ["Tags", tags.length === 0 ? "—" : tags.map(([key, value]) => `${key}=${value}`).join(", ")],
    ["Current version", String(secret.version)],
    ["Created", localTime(secret.created_at)],
    ["Updated", localTime(secret.updated_at)],
    ["Last read", localTime(secret.accessed_at)],
    [
      "Expires",
      secret.expires_at
        ? `${localTime(secret.expires_at)} (${relativeTime(secret.expires_at)})`
        : "never",
    ],
  ];
  facts.replaceChildren(
    ...rows.flatMap(([term, value]) => [element("dt", {}, term), element("dd", {}, value)]),
  );
  versionsBody.replaceChildren(
    ...[...secret.versions]
      .sort((a, b) => b.version - a.version)
      .map((version) =>
        element(
          "tr",
          {},
          element("td", {}, String(version.version)),
          element("td", {}, localTime(version.created_at)),
          element("td", {}, readableText(version, secret.version)),
        ),
      ),
  );
}

async function select(path, { focus = true } = {}) {
  selected = path;
  hideValue();
  createForm.hidden = true;
  for (const button of tree.querySelectorAll(".leaf")) {
    if (button.dataset.path === path) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
  try {
    const secret = await api("GET", metadataUrl(path));
    heading.textContent = path;
    hint.hidden = true;
    detail.hidden = false;
    detail.dataset.tier = secret.tier;
    detail.secret = secret;
    showFacts(secret);
    document.getElementById("tier-tier").value = secret.tier;
    showError(pageError, null);
    if (focus) heading.focus();
  } catch (error) {
    showError(pageError, error);
  }
}

function hideValue() {
  clearInterval(hideTimer);
  hideTimer = null;
  revealedValue.textContent = "";
  revealed.hidden = true;
}

function showValue(value) {
  let left = REVEAL_SECONDS;
  revealedValue.textContent = value;
  revealCountdown.textContent = String(left);
  revealed.hidden = false;
  clearInterval(hideTimer);
  hideTimer = setInterval(() => {
    left -= 1;
    revealCountdown.textContent = String(left);
    if (left <= 0) hideValue();
  }, 1000);
}

function parseTags(text) {
  const tags = {};
  for (const pair of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at <= 0) throw formError(`The tag “${pair}” is not key=value.`);
    tags[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return tags;
}

document.getElementById("show-create").addEventListener("click", () => {
  createForm.hidden = false;
  detail.hidden = true;
  hint.hidden = true;
  heading.textContent = "New secret";
  document.getElementById("create-path").focus();
});

onSubmit(createForm, async () => {
  const path = document.getElementById("create-path").value.trim();
  const value = document.getElementById("create-value");
  const description = document.getElementById("create-description").value.trim();
  const body = {
    value: value.value,
    tier: document.getElementById("create-tier").value,
    secret_type: document.getElementById("create-type").value,
    description: description === "" ? null : description,
    tags: parseTags(document.getElementById("create-tags").value),
  };
  if (path === "") throw formError("Enter a path, such as production/openai/api-key.");
  await api("PUT", secretUrl(path), { body, ifMatch: "0" });
  value.value = "";
  createForm.reset();
  await refreshTree();
  await select(path);
});

onSubmit(document.getElementById("reveal-form"), async () => {
  const key = document.getElementById("reveal-key");
  const credential = key.value.trim();
  key.value = "";
  if (!credential.startsWith("ass_admin_"))
    throw formError("Enter your admin key (ass_admin_…) to reveal a value.");
  try {
    // Your own key: the read is audited as you, the person signed in.
    const holder = await api("GET", "/v1/me", { credential });
    if (holder.kind !== "admin" || holder.id !== signedInAdminId()) {
      throw formError("That key belongs to someone else: enter your own admin key.");
    }
    const secret = await api("GET", secretUrl(selected), { credential });
    showValue(secret.value);
  } catch (error) {
    if (error.status === 401)
      throw formError("That admin key was not accepted. Check it and try again.");
    throw error;
  }
});

document.getElementById("hide-value").addEventListener("click", hideValue);

onSubmit(document.getElementById("rotate-form"), async () => {
  const value = document.getElementById("rotate-value");
  const grace = Number(document.getElementById("rotate-grace").value || 0);
  await api("POST", `${secretUrl(selected)}/rotate`, {
    body: { new_value: value.value, grace_period_seconds: grace },
  });
  value.value = "";
  await select(selected, { focus: false });
});

onSubmit(document.getElementById("tier-form"), async () => {
  const value = document.getElementById("tier-value");
  const secret = detail.secret;
  await api("PUT", secretUrl(selected), {
    body: {
      value: value.value,
      tier: document.getElementById("tier-tier").value,
      secret_type: secret.secret_type,
      description: secret.description,
      tags: secret.tags,
    },
    ifMatch: String(secret.version),
  });
  value.value = "";
  await refreshTree();
  await select(selected, { focus: false });
});

onSubmit(document.getElementById("delete-form"), async () => {
  const confirm = document.getElementById("delete-confirm");
  if (confirm.value.trim() !== selected) throw formError(`Type ${selected} exactly to delete it.`);
  await api("DELETE", secretUrl(selected));
  confirm.value = "";
  selected = null;
  detail.hidden = true;
  hint.hidden = false;
  heading.textContent = "Choose a secret";
  await refreshTree();
});

const wanted = new URLSearchParams(location.hash.slice(1)).get("path");
await refreshTree();
if (wanted) await select(wanted, { focus: false });
