import type { AgentVaultOptions } from "./agent-vault-options.js";

/**
 * Options of `new VaultAdmin(options)`. The connection options (`baseUrl`, `timeout`,
 * `retries`, `onWait`, `fetch`, `logger`) mean what they mean for `AgentVault`.
 */
export interface VaultAdminOptions
  extends Pick<
    AgentVaultOptions,
    "baseUrl" | "timeout" | "retries" | "onWait" | "fetch" | "logger"
  > {
  /**
   * Admin key (`ass_admin_…`), printed by `ass server` on its first start or made with
   * `createAdmin`. Required: without one the constructor throws.
   * @default process.env.ASS_ADMIN_KEY
   */
  adminKey?: string | undefined;
  /**
   * Read `ASS_ADMIN_KEY` and `ASS_BASE_URL` from this object instead of `process.env`
   * (tests, runtimes without `process`).
   * @default process.env, or {} where there is no `process`
   */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}
