// The console's client of the vault's own API (/v1): the session cookie goes along by itself
// (same origin); the page's CSRF token goes in a header on every state-changing request. Error
// answers become sentences that say what to do.

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";

/** An API answer that was not a success, with the words to show for it. */
export class ApiProblem extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const ADVICE = {
  UNAUTHORIZED: "Your session has ended (signed out, idle too long, or expired).",
  SCOPE_DENIED: "This needs an admin key with more rights.",
  NOT_FOUND:
    "It is no longer there: it may have been deleted or decided elsewhere. The list is refreshed.",
  SECRET_NOT_FOUND: "It is no longer there: it may have been deleted elsewhere.",
};

/** A mistake in a form, found before anything was sent: shown like an API error. */
export function formError(message) {
  return new ApiProblem(400, "FORM", message);
}

/** Words for a failure: the API's own message, and what to do when the API leaves that out. */
export function wordsFor(error) {
  if (!(error instanceof ApiProblem)) {
    return "The vault server could not be reached. Check that it is running and your network, then try again.";
  }
  if (error.code === "RATE_LIMITED") {
    const seconds = error.details?.retry_after;
    return `Too many attempts. Wait ${seconds ?? "a few"} seconds, then try again.`;
  }
  if (error.code === "UNAUTHORIZED") return ADVICE.UNAUTHORIZED;
  if (error.code === "APPROVAL_PENDING") {
    return `Reading this needs approval first: request ${error.details?.approval_request_id ?? ""} waits on the Approvals page. Try again once it is approved.`;
  }
  const advice = ADVICE[error.code];
  return advice && !error.message
    ? advice
    : error.message || advice || `The server answered ${error.status}.`;
}

/**
 * Calls the API. `options.body` is sent as JSON; `options.credential` (Reveal, sign-in) goes in
 * the Authorization header instead of relying on the session.
 */
export async function api(method, path, options = {}) {
  const headers = { accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["x-csrf-token"] = csrfToken;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.credential !== undefined) headers.authorization = `Bearer ${options.credential}`;
  if (options.ifMatch !== undefined) headers["if-match"] = options.ifMatch;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiProblem(0, "NETWORK", "");
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  // 202 APPROVAL_PENDING carries an error body too: nothing was done yet.
  if (!response.ok || (response.status === 202 && parsed?.error)) {
    const error = parsed?.error ?? {};
    throw new ApiProblem(response.status, error.code ?? "INTERNAL", error.message ?? "", error);
  }
  return parsed;
}

/** Shows (or, with null, hides) a message in an alert region. A session that ended links to sign-in. */
export function showError(region, error) {
  if (error === null) {
    region.hidden = true;
    region.textContent = "";
    return;
  }
  region.textContent = wordsFor(error);
  if (error instanceof ApiProblem && error.status === 401) {
    const link = element("a", { href: "/console/sign-in?notice=ended" }, " Sign in again");
    region.append(link);
  }
  region.hidden = false;
}

// The protocol's unsafe characters (controls, bidirectional formatting: packages/protocol/src/
// unsafe-text.ts; test/console/console-unsafe-text.test.ts keeps this copy equal to it), shown
// written out so that what an approver reads is what is stored.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Text with every unsafe character written out as `\u{XXXX}`. */
export function visibleText(text) {
  return text.replace(
    UNSAFE_TEXT,
    (character) => `\\u{${character.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}}`,
  );
}

/** Builds an element: attributes (false/null skipped, "on…" functions as listeners), then children (text shown with {@link visibleText}). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : visibleText(String(child)));
  }
  return node;
}

/** "in 4 min", "3 h ago": a time relative to now, for people. */
export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(seconds);
  const [amount, unit] =
    size < 90
      ? [size, "s"]
      : size < 5400
        ? [Math.round(size / 60), "min"]
        : size < 172800
          ? [Math.round(size / 3600), "h"]
          : [Math.round(size / 86400), "days"];
  return seconds >= 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}

/** A local date and time, for people. */
export function localTime(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/** Wires a form: on submit `work()` runs with the button disabled; a failure shows in the form's alert. */
export function onSubmit(form, work) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const region = form.querySelector("[role=alert]");
    showError(region, null);
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      showError(region, error);
    } finally {
      button.disabled = false;
    }
  });
}

/** The signed-in admin's id (rendered by the server into the page). */
export function signedInAdminId() {
  return document.body.dataset.adminId ?? "";
}

/** Wires the header's Sign out button: ends the session on the server, then shows sign-in. */
function wireSignOut() {
  const button = document.getElementById("sign-out");
  if (!button) return;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api("POST", "/console/sign-out");
    } catch {
      // Signed out or not, the sign-in page is where to go next.
    }
    location.assign("/console/sign-in?notice=signed-out");
  });
}

/**
 * Live changes of the tenant's approval requests (server-sent events). `onChange` gets
 * `{approval_id, status}`, or null when the page should re-read everything (after a reconnect).
 */
export function watchApprovals(onChange, onStatus) {
  const source = new EventSource("/console/events");
  source.addEventListener("ready", () => {
    onStatus(true);
    onChange(null);
  });
  source.addEventListener("approval", (event) => onChange(JSON.parse(event.data)));
  source.addEventListener("refresh", () => onChange(null));
  source.addEventListener("session-ended", () => {
    source.close();
    location.assign("/console/sign-in?notice=ended");
  });
  source.addEventListener("error", () => onStatus(false));
  return source;
}

wireSignOut();
