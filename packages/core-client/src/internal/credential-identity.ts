/**
 * Gives each distinct credential a small opaque number, so that cache and single-flight keys
 * can tell credentials apart without carrying the credential itself into places that might
 * be logged or inspected. Numbers are never reused, so two credentials never share one.
 */
export class CredentialIdentity {
  readonly #ids = new Map<string, number>();
  #next = 1;

  /** The number for `credential`, assigned on first sight. */
  idFor(credential: string): number {
    let id = this.#ids.get(credential);
    if (id === undefined) {
      id = this.#next++;
      // Bounded memory for processes that see many short-lived tokens: forgetting a
      // credential only costs it a fresh number (a cache miss), never a collision.
      if (this.#ids.size >= MAX_REMEMBERED) this.#ids.clear();
      this.#ids.set(credential, id);
    }
    return id;
  }

  /** Forgets every credential (on close). */
  clear(): void {
    this.#ids.clear();
  }
}

const MAX_REMEMBERED = 10_000;
