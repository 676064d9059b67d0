import { AgentVaultConfigurationError } from "../errors.js";
import { redactText } from "./redact.js";

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A vault server on this machine (`ass server`'s default port). The default never names a
 * remote host, so that a credential only ever leaves the machine for an address the user
 * gave: a hosted or remote vault is used only through `baseUrl` or `ASS_BASE_URL`.
 */
export const DEFAULT_BASE_URL = "http://127.0.0.1:8787/v1";

/**
 * `process.env` where there is one. Read through `globalThis` so that edge runtimes without
 * `process` (and bundlers that would polyfill it) are fine.
 */
export function processEnvironment(): Environment {
  const process = (globalThis as { process?: { env?: Environment } }).process;
  return process?.env ?? {};
}

/** A non-empty variable, or `undefined`; `ASS_TOKEN=` counts as unset. */
function variable(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The credential to use: the `token` option, the `agentKey` option, `ASS_TOKEN`, then
 * `ASS_AGENT_KEY`. A scoped token wins over an agent key at each level, because a subagent
 * started with `ASS_TOKEN` may still inherit its parent's `ASS_AGENT_KEY`, and it should
 * act with the least privilege it was given. `undefined` when there is none.
 */
export function resolveCredential(
  options: { readonly agentKey?: string | undefined; readonly token?: string | undefined },
  env: Environment,
): string | undefined {
  const fromOptions = options.token ?? options.agentKey;
  if (fromOptions !== undefined && fromOptions !== "") return fromOptions;
  return variable(env, "ASS_TOKEN") ?? variable(env, "ASS_AGENT_KEY");
}

/** The error for a call that needs a credential when none was configured. */
export function missingCredentialError(): AgentVaultConfigurationError {
  return new AgentVaultConfigurationError(
    "No vault credential: pass agentKey (an agent key, ass_live_…) or token (a scoped token, ast_tok_…), or set ASS_AGENT_KEY or ASS_TOKEN.",
    { code: "MISSING_CREDENTIAL" },
  );
}

/** The admin key to use: the `adminKey` option, then `ASS_ADMIN_KEY`; `undefined` when neither. */
export function resolveAdminKey(
  options: { readonly adminKey?: string | undefined },
  env: Environment,
): string | undefined {
  const fromOptions = options.adminKey;
  if (fromOptions !== undefined && fromOptions !== "") return fromOptions;
  return variable(env, "ASS_ADMIN_KEY");
}

/** The error for a `VaultAdmin` made without an admin key. */
export function missingAdminKeyError(): AgentVaultConfigurationError {
  return new AgentVaultConfigurationError(
    "No admin key: pass the adminKey option or set ASS_ADMIN_KEY (an admin key, ass_admin_…, printed by `ass server` on its first start or made with createAdmin).",
    { code: "MISSING_CREDENTIAL" },
  );
}

/**
 * The base URL to use (the `baseUrl` option, `ASS_BASE_URL`, or the local server), normalised:
 * no trailing slash, ending in `/v1`. Throws when it is not an http(s) URL.
 */
export function resolveBaseUrl(option: string | undefined, env: Environment): string {
  const raw = option ?? variable(env, "ASS_BASE_URL") ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badBaseUrl(raw, "is not a URL");
  }
  if (!/^https?:$/.test(url.protocol)) throw badBaseUrl(raw, "must start with https:// or http://");
  if (url.username || url.password) {
    throw badBaseUrl(url.host, "must not hold a user name or password");
  }
  if (url.search || url.hash) {
    throw badBaseUrl(url.origin + url.pathname, "must not have a query or fragment");
  }
  // No trailing slash, and `/v1` appended unless it is there.
  return url.origin + url.pathname.replace(/\/+$/, "").replace(/(\/v1)?$/, "/v1");
}

function badBaseUrl(shown: string, problem: string): AgentVaultConfigurationError {
  // Only a URL shape is shown: a malformed value could be a credential pasted into the wrong place.
  const safe = /^https?:\/\//.test(shown) ? redactText(shown) : "the value given";
  return new AgentVaultConfigurationError(
    `The vault baseUrl (${safe}) ${problem} (e.g. http://127.0.0.1:8787/v1).`,
    { code: "INVALID_BASE_URL" },
  );
}

/** Whether `baseUrl` sends credentials in clear text to another machine. */
export function isPlainHttpToRemote(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}
