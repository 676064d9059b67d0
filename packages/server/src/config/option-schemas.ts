import { z } from "zod";
import { brokerRouteFromTable, resolveBrokerRoutes } from "../broker/broker-route.js";
import { ipRangeOf } from "../domain/ip-range.js";

// Schemas of option values, each with the message a user reads after the option's name and
// where it came from ("environment ASS_PORT: expected a whole number from 0 to 65535").

/** A whole number ≥ 1. */
export function positiveInteger() {
  const error = "expected a positive integer";
  return z.number({ error }).int({ error }).min(1, { error });
}

/** A whole number of seconds ≥ 0. */
export function seconds() {
  const error = "expected a whole number of seconds (0 or more)";
  return z.number({ error }).int({ error }).min(0, { error });
}

/** A count, 0 or more. */
export function wholeNumber() {
  const error = "expected a whole number (0 or more)";
  return z.number({ error }).int({ error }).min(0, { error });
}

/** A TCP port; 0 picks any free one. */
export function port() {
  const error = "expected a whole number from 0 to 65535";
  return z.number({ error }).int({ error }).min(0, { error }).max(65_535, { error });
}

/** `true` or `false`. */
export function flag() {
  return z.boolean({ error: "expected true or false" });
}

/** A string that is not empty. */
export function text() {
  const error = "expected a non-empty string";
  return z.string({ error }).min(1, { error });
}

/** One of `values`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(", ")}` });
}

/** A URL with one of the given protocols (`"http:"`…). */
export function url(protocols: readonly string[]) {
  const error = `expected a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`;
  return z.string({ error }).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, error);
}

/** A list of web origins (`https://app.example.com`), each without a path. */
export function origins() {
  const error =
    "expected a list of origins such as https://app.example.com (scheme, host, port; no path)";
  return z.array(
    z.string({ error }).refine((value) => {
      try {
        return new URL(value).origin === value;
      } catch {
        return false;
      }
    }, error),
    { error },
  );
}

/** A list of IP addresses or CIDR ranges (`10.0.0.5`, `10.1.0.0/16`, `fd00::/8`). */
export function addresses() {
  const error = "expected a list of IP addresses or CIDR ranges such as 10.0.0.5 or 10.1.0.0/16";
  return z.array(
    z.string({ error }).refine((value) => ipRangeOf(value) !== null, error),
    { error },
  );
}

/**
 * The credential broker's routes, a list of tables (`[[broker.routes]]`): each checked as the
 * server will use it (an https upstream or http on loopback, one way to inject the value, …).
 */
export function brokerRoutes() {
  const words = z.string({ error: "expected a string" });
  const route = z.strictObject({
    name: text(),
    upstream: text(),
    secret: text(),
    header: words.optional(),
    basic_user: words.optional(),
    query_parameter: words.optional(),
    path_prefixes: z.array(words, { error: "expected a list of strings" }).optional(),
    methods: z.array(words, { error: "expected a list of strings" }).optional(),
    timeout_seconds: positiveInteger().optional(),
    max_body_bytes: seconds().optional(),
    approval: z.enum(["per_call", "none"], { error: "expected 'per_call' or 'none'" }).optional(),
    ca_file: text().optional(),
  });
  return z
    .array(route, { error: "expected a list of tables ([[broker.routes]], or JSON in a variable)" })
    .superRefine((routes, context) => {
      try {
        resolveBrokerRoutes(routes.map(brokerRouteFromTable), "route");
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
      }
    });
}
