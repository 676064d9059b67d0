import type { Logger } from "../logger.js";
import { redactFields, redactText } from "./redact.js";

type Level = keyof Logger;
const LEVELS: readonly Level[] = ["debug", "info", "warn", "error"];

/**
 * Wraps the caller's logger so that every message and field is redacted (second line of
 * defence) and a throwing logger can never fail a request.
 */
export function safeLogger(logger: Logger): Logger {
  const wrapped = {} as Logger;
  for (const level of LEVELS) {
    wrapped[level] = (message, fields) => {
      try {
        if (fields === undefined) logger[level](redactText(message));
        else logger[level](redactText(message), redactFields(fields));
      } catch {
        // Diagnostics are best effort; a broken logger must not break the vault call.
      }
    };
  }
  return wrapped;
}
