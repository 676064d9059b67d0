// The audit page: GET /v1/audit/verify (the hash chain's check) and GET /v1/audit filtered by
// path, event and actor on the server; the time range is applied to what was loaded.
import { api, element, formError, localTime, showError } from "./console-api.js";

const chain = document.getElementById("chain");
const body = document.querySelector("#events tbody");
const empty = document.getElementById("events-empty");
const count = document.getElementById("event-count");
const more = document.getElementById("more");
const form = document.getElementById("filters");
const formAlert = form.querySelector("[role=alert]");
const pageError = document.getElementById("page-error");

/** Outcomes shown as refusals; success, started (a brokered call's first event) and pending are not. */
const REFUSED_OUTCOMES = new Set(["denied", "failure"]);

let events = [];
let cursor = null;

async function verify() {
  chain.textContent = "Checking the chain…";
  chain.className = "";
  try {
    const result = await api("GET", "/v1/audit/verify");
    if (result.ok) {
      chain.textContent = `Verified: all ${result.count} events link up and their hashes match (head ${result.head_hash.slice(0, 16)}…).`;
      chain.className = "status-approved";
    } else {
      chain.textContent = `Broken at event ${result.broken_at} (${result.reason}), after ${result.count} good events. The log was changed outside the server: keep a copy and investigate.`;
      chain.className = "status-denied";
    }
  } catch (error) {
    showError(pageError, error);
    chain.textContent = "The chain could not be checked.";
  }
}

function range() {
  const from = document.getElementById("filter-from").value;
  const until = document.getElementById("filter-until").value;
  const start = from ? new Date(from).getTime() : -Infinity;
  const end = until ? new Date(until).getTime() : Infinity;
  if (start > end) throw formError("“From” is after “Until”: swap them.");
  return { start, end };
}

function render() {
  const { start, end } = range();
  const shown = events.filter((event) => {
    const at = Date.parse(event.at);
    return at >= start && at <= end;
  });
  body.replaceChildren(
    ...[...shown]
      .reverse()
      .map((event) =>
        element(
          "tr",
          {},
          element("td", {}, localTime(event.at)),
          element("td", {}, element("code", {}, event.event)),
          element(
            "td",
            { class: REFUSED_OUTCOMES.has(event.outcome) ? "status-denied" : "" },
            event.outcome,
          ),
          element(
            "td",
            {},
            event.actor_type,
            event.actor_id ? [" ", element("code", {}, event.actor_id)] : "",
          ),
          element(
            "td",
            {},
            event.path ?? "—",
            event.version === null ? "" : ` (v${event.version})`,
          ),
          element("td", {}, event.ip ?? "—"),
        ),
      ),
  );
  empty.hidden = shown.length > 0;
  count.textContent = `(${shown.length}${cursor ? "+" : ""})`;
  more.hidden = cursor === null;
}

async function load(reset) {
  const query = new URLSearchParams({ limit: "500" });
  for (const [name, id] of [
    ["path", "filter-path"],
    ["event", "filter-event"],
    ["actor", "filter-actor"],
  ]) {
    const value = document.getElementById(id).value.trim();
    if (value !== "") query.set(name, value);
  }
  if (!reset && cursor) query.set("cursor", cursor);
  const page = await api("GET", `/v1/audit?${query}`);
  events = reset ? page.items : [...events, ...page.items];
  cursor = page.next_cursor;
  render();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError(formAlert, null);
  try {
    range();
    await load(true);
  } catch (error) {
    showError(formAlert, error);
  }
});
more.addEventListener("click", () => load(false).catch((error) => showError(pageError, error)));
document.getElementById("verify").addEventListener("click", verify);

await Promise.all([verify(), load(true).catch((error) => showError(pageError, error))]);
