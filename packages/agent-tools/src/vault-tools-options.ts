import type { SecretRegistry } from "./secret-registry.js";

/** The names of the vault tools. */
export type VaultToolName =
  | "list_secrets"
  | "get_secret_metadata"
  | "request_secret_access"
  | "check_approval_status"
  | "set_secret"
  | "rotate_secret"
  | "call_api_with_secret"
  | "get_secret";

/** The HTTP methods `call_api_with_secret` can use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A `fetch` implementation for `call_api_with_secret` (the global one, undici's, a test double). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Where `call_api_with_secret` may send a credential. Anything not listed is refused. */
export interface AllowedDestination {
  /**
   * Scheme, host and port, exactly: `"https://api.github.com"`. Plain `http:` is accepted
   * only when written here.
   */
  origin: string;
  /**
   * Path prefixes on that origin, matched on whole segments: `"/v1"` allows `/v1` and
   * `/v1/items`, never `/v10`.
   * @default ["/"] (every path)
   */
  pathPrefixes?: readonly string[];
  /**
   * Methods allowed there.
   * @default every method
   */
  methods?: readonly HttpMethod[];
  /**
   * Secrets that may be sent there, as paths or patterns (`"production/github/*"`, a `*`
   * segment as in scopes). Set it: without it, a prompt-injected model could send any
   * readable secret to this origin.
   * @default every secret the agent can read
   */
  secretPaths?: readonly string[];
  /**
   * Send calls to this destination through the vault's credential broker route of this name
   * instead of reading the secret: the vault injects the route's secret, and this process never
   * holds it. The route's `upstream` must be this origin (no base path); the model's URL path
   * and query are appended to `<vault>/v1/broker/<route>`. The credential fields the model
   * gives are then ignored (the route decides how the secret is sent).
   * @default undefined (the tool reads the secret and sends it itself)
   */
  broker?: string;
}

/** Options of `createVaultToolset` (and of every adapter's tool factory). */
export interface VaultToolsOptions {
  /**
   * Where every value the tools handle is registered, for the adapters' redaction (middleware,
   * callback handlers, trace anonymizers) to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
  /**
   * Let `get_secret` return secret values to the model. Off, it declines and points the
   * model to `call_api_with_secret`.
   * @default false
   */
  revealValues?: boolean;
  /**
   * Where `call_api_with_secret` may send credentials. Without any, that tool is not made.
   * @default []
   */
  allowedDestinations?: readonly AllowedDestination[];
  /**
   * Which tools to make.
   * @default every tool (`call_api_with_secret` only with `allowedDestinations`)
   */
  include?: readonly VaultToolName[];
  /**
   * Lifetime of the tokens `request_secret_access` asks for, in seconds.
   * @default 900
   */
  accessTokenTtlSeconds?: number;
  /**
   * Uses allowed to each token `request_secret_access` asks for; `null` for unlimited.
   * @default null
   */
  accessTokenMaxUses?: number | null;
  /**
   * How long `check_approval_status` (and `request_secret_access` asked again) waits for a
   * decision, in ms.
   * @default 1_000
   */
  approvalCheckTimeout?: number;
  /**
   * Longest a model may ask `check_approval_status` to wait for a decision (its `waitSeconds`
   * argument, offered only when this is above 0), in ms. The wait long-polls the vault and ends
   * early on a decision or when the call's `signal` aborts.
   * @default 0 (no waiting argument: the tool asks once, within `approvalCheckTimeout`)
   */
  maxApprovalWait?: number;
  /**
   * Time limit of each `call_api_with_secret` request, in ms.
   * @default 30_000
   */
  requestTimeout?: number;
  /**
   * Longest response body `call_api_with_secret` returns to the model, in characters; the
   * rest is cut off.
   * @default 4_000
   */
  maxResponseCharacters?: number;
  /**
   * `fetch` used by `call_api_with_secret`.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction;
  /**
   * Most items `list_secrets` returns per call, in items (the vault allows 200).
   * @default 50
   */
  listLimit?: number;
}
