/**
 * The per-call approvals the broker asked for, so that the identical call, sent again once a
 * person approved it, carries its `X-Approval-Id` (the approval admits that one call once).
 * Kept per run; an entry goes when the call it stands for completes.
 */
export class CallApprovals {
  readonly #ids = new Map<string, string>();
  static readonly #MAX = 100;

  /** The approval request waiting for this exact call, if one was asked for. */
  find(key: string): string | undefined {
    return this.#ids.get(key);
  }

  remember(key: string, approvalRequestId: string): void {
    this.#ids.delete(key);
    this.#ids.set(key, approvalRequestId);
    // The oldest go first: a run asking for more than this many calls at once gets new requests.
    for (const oldest of this.#ids.keys()) {
      if (this.#ids.size <= CallApprovals.#MAX) break;
      this.#ids.delete(oldest);
    }
  }

  forget(key: string): void {
    this.#ids.delete(key);
  }
}

/** Which call an approval stands for: the run, the method, the URL and the body, exactly. */
export function callKey(
  bucket: string,
  method: string,
  url: URL,
  body: string | undefined,
): string {
  return JSON.stringify([bucket, method, url.toString(), body ?? null]);
}
