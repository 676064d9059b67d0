import type { Secret } from "@agentsecretstore/client";
import type { CallTarget } from "./call-target.js";

// A value read ahead is kept only for the tool call that asked for it, which follows at once.
const KEEP_MS = 60_000;

type Kept = { readonly secret: Secret; readonly until: number };

/**
 * Secrets read by an approval check (which asks the vault whether a read would wait on a
 * person, and gets the value when it would not), kept for the one tool call that follows, so
 * that the vault is read once per call.
 */
export class ReadAhead {
  readonly #kept = new Map<string, Kept>();

  /** Reads the secret now, keeping it for the next {@link read} of the same key. */
  async fetch(key: string, target: CallTarget, path: string, version?: number): Promise<void> {
    const secret = await target.vault.getSecret(path, { ...target.options, version });
    this.#kept.set(key, { secret, until: Date.now() + KEEP_MS });
  }

  /** The secret kept under `key` (once), or a fresh read. */
  async read(key: string, target: CallTarget, path: string, version?: number): Promise<Secret> {
    const kept = this.#kept.get(key);
    this.#kept.delete(key);
    if (kept !== undefined && kept.until > Date.now()) return kept.secret;
    return target.vault.getSecret(path, { ...target.options, version });
  }
}
