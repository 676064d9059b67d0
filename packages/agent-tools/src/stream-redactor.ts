import type { MaskOptions, SecretRegistry } from "./secret-registry.js";

/**
 * Masks one stream of text that arrives in pieces (a model's streamed tokens, a text delta
 * stream): the end of what has arrived is held back while it could still be the start of a
 * vault value (at most one character of ordinary text; the rest of a value until it is
 * complete), so a value split across pieces is masked too. What {@link push} and
 * {@link flush} return, put together, equals `registry.mask(wholeText, options)`.
 *
 * One redactor per stream; create a new one (or call `flush`) when the stream ends.
 *
 * @example
 * const redactor = new StreamRedactor(registry);
 * for await (const piece of stream) send(redactor.push(piece));
 * send(redactor.flush());
 */
export class StreamRedactor {
  readonly #registry: SecretRegistry;
  readonly #options: MaskOptions;
  #held = "";

  constructor(registry: SecretRegistry, options: MaskOptions = {}) {
    this.#registry = registry;
    this.#options = options;
  }

  /** Whether text is held back, waiting for what comes next. */
  get holding(): boolean {
    return this.#held !== "";
  }

  /** Adds `text` to the stream; returns the masked part that can be passed on now (maybe `""`). */
  push(text: string): string {
    const whole = this.#held + text;
    const cut = this.#registry.settledLength(whole);
    this.#held = whole.slice(cut);
    return this.#registry.mask(whole.slice(0, cut), this.#options);
  }

  /** Ends the stream: the held-back text, masked (then nothing is held). */
  flush(): string {
    const rest = this.#held;
    this.#held = "";
    return rest === "" ? "" : this.#registry.mask(rest, this.#options);
  }
}
