/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

/**
 * The vault API the MCP server talks to: `ASS_BASE_URL`, else `ASS_API_URL` (the hosted MCP
 * server's name for it). Either may be an origin (`https://vault.example.com`) or end in
 * `/v1`; the client appends `/v1` when missing. `undefined` lets the client pick its default.
 */
export function vaultBaseUrlFrom(env: Environment): string | undefined {
  return set(env.ASS_BASE_URL) ?? set(env.ASS_API_URL);
}

/** Whether the environment holds a vault credential (`ASS_TOKEN` or `ASS_AGENT_KEY`). */
export function hasVaultCredential(env: Environment): boolean {
  return set(env.ASS_TOKEN) !== undefined || set(env.ASS_AGENT_KEY) !== undefined;
}
