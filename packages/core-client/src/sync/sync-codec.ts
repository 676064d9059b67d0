import * as errors from "../errors.js";
import { ScopedToken, type ScopedTokenInit } from "../models/scoped-token.js";
import { Secret, type SecretInit } from "../models/secret.js";

// Structured cloning (what postMessage does) keeps Dates, arrays and plain objects, but drops
// prototypes and private fields. Models with a private value and errors are therefore sent
// as tagged records and rebuilt on the calling thread as the same classes.

/** A method result as it crosses the thread boundary. */
export type EncodedResult =
  | { readonly kind: "secret"; readonly init: SecretInit }
  | { readonly kind: "scoped-token"; readonly init: ScopedTokenInit }
  | { readonly kind: "plain"; readonly value: unknown };

/** An error as it crosses the thread boundary. */
export type EncodedError = {
  readonly name: string;
  readonly message: string;
  /** Own fields of the error (`code`, `status`, `path`, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly cause?: EncodedError;
};

export function encodeResult(result: unknown): EncodedResult {
  if (result instanceof Secret) return { kind: "secret", init: { ...result, value: result.value } };
  if (result instanceof ScopedToken) {
    return { kind: "scoped-token", init: { ...result, value: result.value } };
  }
  return { kind: "plain", value: result };
}

export function decodeResult(encoded: EncodedResult): unknown {
  switch (encoded.kind) {
    case "secret":
      return new Secret(encoded.init);
    case "scoped-token":
      return new ScopedToken(encoded.init);
    case "plain":
      return encoded.value;
  }
}

const MAX_CAUSE_DEPTH = 3;

export function encodeError(error: unknown, depth = 0): EncodedError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error), fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== "name" && key !== "message" && key !== "stack" && isCloneable(value)) {
      fields[key] = value;
    }
  }
  const encoded = { name: error.name, message: error.message, fields };
  if (error.cause === undefined || depth >= MAX_CAUSE_DEPTH) return encoded;
  return { ...encoded, cause: encodeError(error.cause, depth + 1) };
}

type ErrorClass = new (message: string, options: errors.AgentVaultErrorOptions) => Error;

// Every class in errors.ts, by its `name`, so a new subclass needs no change here.
const ERROR_CLASSES = new Map<string, ErrorClass>(
  Object.values(errors)
    .filter(
      (value): value is typeof errors.AgentVaultError =>
        typeof value === "function" &&
        (value === errors.AgentVaultError || value.prototype instanceof errors.AgentVaultError),
    )
    .map((errorClass) => [errorClass.name, errorClass as ErrorClass]),
);

const STANDARD_ERRORS = new Map<string, new (message: string) => Error>([
  ["TypeError", TypeError],
  ["RangeError", RangeError],
  ["SyntaxError", SyntaxError],
]);

/**
 * Rebuilds an error thrown on the worker as an instance of the same class, with the same
 * fields. Its stack is the calling thread's, which is where the caller wants to look.
 */
export function decodeError(encoded: EncodedError): Error {
  const cause = encoded.cause === undefined ? undefined : decodeError(encoded.cause);
  const vaultErrorClass = ERROR_CLASSES.get(encoded.name);
  if (vaultErrorClass !== undefined) {
    // Every constructor in errors.ts takes its fields under their own names.
    const options = { code: "UNKNOWN", ...encoded.fields } as errors.AgentVaultErrorOptions;
    if (cause !== undefined) options.cause = cause;
    return new vaultErrorClass(encoded.message, options);
  }
  const StandardError = STANDARD_ERRORS.get(encoded.name) ?? Error;
  const error = new StandardError(encoded.message);
  if (cause !== undefined) error.cause = cause;
  if (StandardError === Error && encoded.name !== "Error") error.name = encoded.name;
  Object.assign(error, encoded.fields);
  return error;
}

function isCloneable(value: unknown): boolean {
  return typeof value !== "function" && typeof value !== "symbol" && !(value instanceof Error);
}
