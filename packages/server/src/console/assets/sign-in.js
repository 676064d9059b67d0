// Sign-in: the typed admin key goes once, in an Authorization header, to POST /console/session,
// which answers with the session cookie. The key is cleared from the field straight after.
import { api, showError } from "./console-api.js";

const form = document.getElementById("sign-in");
const input = document.getElementById("admin-key");
const errorRegion = document.getElementById("sign-in-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = input.value.trim();
  const button = form.querySelector("button[type=submit]");
  showError(errorRegion, null);
  if (!key.startsWith("ass_admin_")) {
    errorRegion.textContent =
      "That is not an admin key: admin keys start with ass_admin_. Agent keys and tokens cannot sign in.";
    errorRegion.hidden = false;
    input.focus();
    return;
  }
  button.disabled = true;
  try {
    await api("POST", "/console/session", { credential: key });
    input.value = "";
    location.assign("/console/approvals");
  } catch (error) {
    showError(errorRegion, error);
    if (error.status === 401) {
      errorRegion.textContent =
        "That admin key was not accepted: it is unknown or its admin was deleted. Check it and try again.";
    }
    input.focus();
  } finally {
    button.disabled = false;
  }
});
