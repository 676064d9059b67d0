import type { VaultClient } from "../vault-client.js";

/** Which client and credential one vault call goes out with. */
export interface CallTarget {
  readonly vault: VaultClient;
  readonly options: { token?: string | undefined; signal?: AbortSignal | undefined };
}
