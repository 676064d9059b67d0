import {
  CREDENTIAL_PREFIXES,
  credentialPattern,
  maskCredentials,
} from "@agentsecretstore/protocol";

/** The marker that replaces a vault value wherever it is masked (the client prints the same). */
export const REDACTED = "[REDACTED]";

// Vault credentials have recognisable prefixes (docs/protocol.md): they are masked even when
// nobody registered them, as a second line of defence behind never putting them in text at all.
// The protocol's pattern matches them in any case and glued to other words.
const PREFIXES: readonly string[] = Object.values(CREDENTIAL_PREFIXES);

/** Options of {@link SecretRegistry}. */
export interface SecretRegistryOptions {
  /**
   * Values shorter than this many characters are not masked: masking "1" or "on" everywhere
   * would mangle every message without protecting anything worth protecting.
   * @default 4
   */
  minLength?: number;
}

/** Options of {@link SecretRegistry.add}. */
export interface RegisterOptions {
  /**
   * The developer chose to show this value to the model (`get_secret` with
   * `revealValues: true`): masks applied to the model's input leave it alone, masks applied
   * to traces and logs still hide it.
   * @default false
   */
  visibleToModel?: boolean;
}

/** Options of {@link SecretRegistry.mask}. */
export interface MaskOptions {
  /**
   * Mask for the model's own input: values registered with `visibleToModel` stay readable.
   * Leave unset for traces, logs and anything stored.
   * @default false
   */
  forModel?: boolean;
}

/**
 * The set of values the vault handed out during a run (secret values read by tools, values
 * stored by the agent, model API keys fetched by `lazyChatModel`). Tools and the lazy model
 * add to it; the redaction middleware, the callback handler and the trace anonymizer mask
 * what it holds. Share one registry between all of them, or rely on
 * {@link defaultSecretRegistry}, which every component uses when given none.
 *
 * Each value is also matched in the forms it takes when it travels: URL-encoded (a query
 * parameter echoed back), JSON-escaped (inside a serialised body), base64 at any byte offset
 * (HTTP Basic credentials, an echoed `Bearer` header), hex, and reversed.
 *
 * The registry holds values in memory only; `String()`, `JSON.stringify()` and
 * `util.inspect()` show how many it holds, never the values.
 *
 * @example
 * const registry = new SecretRegistry();
 * const tools = createVaultTools(vault, { registry });
 * const agent = createAgent({ model, tools, middleware: [vaultRedactionMiddleware({ registry })] });
 */
export class SecretRegistry {
  readonly #minLength: number;
  #values = new Set<string>();
  // Every form to mask (raw and encoded) → whether the model may see it.
  #forms = new Map<string, boolean>();
  // Sorted longest first on demand, so that a value containing another is masked whole.
  #sortedForms: string[] | undefined;

  constructor(options: SecretRegistryOptions = {}) {
    const minLength = options.minLength ?? 4;
    if (!Number.isInteger(minLength) || minLength < 1) {
      throw new RangeError(`minLength must be a positive integer, got ${minLength}`);
    }
    this.#minLength = minLength;
  }

  /** How many distinct values (not counting their encoded forms) are registered. */
  get size(): number {
    return this.#values.size;
  }

  /** Register a value the vault handed out, so that every mask hides it from now on. */
  add(value: string, options: RegisterOptions = {}): void {
    if (typeof value !== "string" || value.length < this.#minLength) return;
    const visibleToModel = options.visibleToModel === true;
    this.#values.add(value);
    for (const form of encodedForms(value)) {
      if (form.length < this.#minLength) continue;
      // A value once revealed on purpose stays revealable; one registered as hidden first
      // becomes visible only when the developer reveals it.
      const previous = this.#forms.get(form);
      this.#forms.set(form, previous === true || visibleToModel);
    }
    this.#sortedForms = undefined;
  }

  /** Whether `value` was registered. */
  has(value: string): boolean {
    return this.#values.has(value);
  }

  /** Forget every value (for example when a long-lived process starts a new run). */
  clear(): void {
    this.#values.clear();
    this.#forms.clear();
    this.#sortedForms = undefined;
  }

  /** Whether `text` contains a registered value (or a vault credential) that `mask` would hide. */
  contains(text: string, options: MaskOptions = {}): boolean {
    return this.mask(text, options) !== text;
  }

  /** `text` with every registered value, and every vault credential, replaced by `[REDACTED]`. */
  mask(text: string, options: MaskOptions = {}): string {
    let result = maskCredentials(text, REDACTED);
    if (this.#forms.size === 0) return result;
    for (const form of this.#sorted()) {
      if (options.forModel === true && this.#forms.get(form) === true) continue;
      if (result.includes(form)) result = result.split(form).join(REDACTED);
    }
    return result;
  }

  /**
   * The length (in UTF-16 code units) of the longest form `mask` looks for: a registered value
   * in any of its encoded forms, or a vault credential prefix. A stream that holds back this
   * many characters minus one never cuts through a value it has not seen whole.
   */
  longestMaskedLength(): number {
    const longestForm = this.#sorted()[0]?.length ?? 0;
    return Math.max(longestForm, ...PREFIXES.map((prefix) => prefix.length));
  }

  /**
   * For text that is still growing (streamed tokens): how many leading characters of `text`
   * can be masked and passed on now. Whatever text is appended later,
   * `mask(text.slice(0, n)) + mask(text.slice(n) + later)` equals `mask(text + later)`:
   * no registered value, encoded form or vault credential crosses the cut, whole or still
   * incomplete at the end of `text`. Ordinary text is held back by at most one character.
   */
  settledLength(text: string): number {
    const forbidden: Array<readonly [number, number]> = [];
    // A cut strictly inside [start, end) would split something `mask` hides (or may hide).
    const forbid = (start: number, end: number) => {
      if (end - start > 1) forbidden.push([start, end]);
    };
    const open = text.length + 1; // "still open": whatever comes next may extend it
    for (const form of this.#forms.keys()) {
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
        forbid(at, at + form.length);
      }
      for (let at = Math.max(0, text.length - form.length + 1); at < text.length; at++) {
        if (form.startsWith(text.slice(at))) forbid(at, open);
      }
    }
    for (const match of text.matchAll(credentialPattern())) {
      const end = match.index + match[0].length;
      forbid(match.index, end === text.length ? open : end);
    }
    for (let at = Math.max(0, text.length - 10); at < text.length; at++) {
      const tail = text.slice(at).toLowerCase();
      if (PREFIXES.some((prefix) => prefix.startsWith(tail))) forbid(at, open);
    }
    // The pattern needs no word boundary, so a cut outside every forbidden span is safe.
    const isSafe = (cut: number) => !forbidden.some(([start, end]) => start < cut && cut < end);
    let cut = text.length;
    while (cut > 0 && !isSafe(cut)) cut--;
    return cut;
  }

  #sorted(): string[] {
    this.#sortedForms ??= [...this.#forms.keys()].sort((a, b) => b.length - a.length);
    return this.#sortedForms;
  }

  /** `SecretRegistry(<n> values)`; never a value. */
  toString(): string {
    return `SecretRegistry(${this.size} values)`;
  }

  /** `{ size }` only. */
  toJSON(): { size: number } {
    return { size: this.size };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// Forms derived from a value by encoding it (hex, base64 at an offset) are masked only when they
// are at least this long, so that a short value's fragments cannot mask ordinary text.
const MIN_DERIVED_LENGTH = 8;

function encodedForms(value: string): Set<string> {
  const bytes = new TextEncoder().encode(value);
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  const base64 = toBase64(bytes);
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  // An API that echoes the value back in disguise: reversed, in hex, or base64-encoded as part
  // of a longer text (`Bearer <value>`, `user:<value>`), where it starts at any byte offset.
  forms.add([...value].reverse().join(""));
  const derived = [toHex(bytes), toHex(bytes).toUpperCase()];
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset);
    derived.push(core, core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  for (const form of derived) if (form.length >= MIN_DERIVED_LENGTH) forms.add(form);
  return forms;
}

/**
 * The characters of the base64 encoding of `bytes` placed `offset` bytes into a longer text
 * that depend on `bytes` alone: the leading characters shared with the bytes before and the
 * last one shared with the bytes after are left out.
 */
function base64Core(bytes: Uint8Array, offset: number): string {
  const placed = new Uint8Array(offset + bytes.length);
  placed.set(bytes, offset);
  const encoded = toBase64(placed).replace(/=+$/, "");
  const partialTail = placed.length % 3 === 0 ? 0 : 1;
  return encoded.slice(offset === 0 ? 0 : offset + 1, encoded.length - partialTail);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The registry every component of this package uses when it is given none: values fetched by
 * the tools and the lazy model are masked by the middleware, the callback handler and the
 * trace anonymizer without any wiring. Pass your own {@link SecretRegistry} to keep runs apart.
 */
export const defaultSecretRegistry: SecretRegistry = new SecretRegistry();
