import {
  defaultSecretRegistry,
  maskDeep,
  type SecretRegistry,
} from "@agentsecretstore/agent-tools";
import type { Telemetry } from "ai";

/** Options of {@link redactTelemetry}. */
export interface RedactTelemetryOptions {
  /**
   * The values to mask.
   * @default defaultSecretRegistry
   */
  registry?: SecretRegistry;
}

/**
 * A telemetry integration (`telemetry: { integrations }` of `generateText` / `streamText`)
 * that passes every event to `integration` with every vault value masked: prompts, messages,
 * tool inputs and outputs, results, errors. Values revealed to the model on purpose are masked
 * too: telemetry is stored, and stored text must not hold a secret.
 *
 * @example
 * telemetry: { integrations: [redactTelemetry(myTracer, { registry })] }
 */
export function redactTelemetry<Integration extends Telemetry>(
  integration: Integration,
  options: RedactTelemetryOptions = {},
): Integration {
  const registry = options.registry ?? defaultSecretRegistry;
  const mask = (text: string) => registry.mask(text);
  return wrapMethods(integration, (argument) => maskArgument(argument, mask)) as Integration;
}

function maskArgument(argument: unknown, mask: (text: string) => string): unknown {
  if (argument instanceof Error) {
    const message = mask(argument.message);
    if (message === argument.message) return argument;
    const copy = new Error(message);
    copy.name = argument.name;
    return copy;
  }
  return maskDeep(argument, mask, { classInstances: true });
}

/** A copy of `target` whose functions (also one level down) get their arguments masked. */
function wrapMethods(target: object, mask: (argument: unknown) => unknown, depth = 0): object {
  const wrapped: Record<string, unknown> = {};
  for (const key of allKeys(target)) {
    const member = (target as Record<string, unknown>)[key];
    if (typeof member === "function") {
      wrapped[key] = (...args: unknown[]) => member.apply(target, args.map(mask));
    } else if (depth === 0 && typeof member === "object" && member !== null) {
      wrapped[key] = wrapMethods(member, mask, depth + 1);
    } else {
      wrapped[key] = member;
    }
  }
  return wrapped;
}

/** Own and inherited (class method) keys, without Object's own. */
function allKeys(target: object): string[] {
  const keys = new Set<string>();
  for (
    let current: object | null = target;
    current !== null && current !== Object.prototype;
    current = Object.getPrototypeOf(current)
  ) {
    for (const key of Object.getOwnPropertyNames(current)) if (key !== "constructor") keys.add(key);
  }
  return [...keys];
}
