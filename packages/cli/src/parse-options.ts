import { checkDestinationBinding } from "@agentsecretstore/protocol";
import { InvalidArgumentError } from "commander";

/** Commander parser for a whole number ≥ `min`. */
export function wholeNumber(min: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
    }
    return number;
  };
}

/** Commander parser for repeatable `key=value` options, collected into a map. */
export function keyValue(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const separator = value.indexOf("=");
  if (separator <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}".`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

/** Commander parser for repeatable options, collected into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Commander parser for one of a fixed set of words. */
export function oneOf<Word extends string>(words: readonly Word[]) {
  return (value: string): Word => {
    if (!(words as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${words.join(", ")}.`);
    }
    return value as Word;
  };
}

/** Commander parser for an ISO-8601 date-time. */
export function dateTime(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError("expected an ISO-8601 date-time such as 2027-01-31T00:00:00Z.");
  }
  return date;
}

/** One `--allowed-destination`: where a secret may be sent, as `{ origin, pathPrefixes? }`. */
export type DestinationOption = { origin: string; pathPrefixes?: string[] };

/**
 * Commander parser for a repeatable `--allowed-destination <origin[/prefix]>`: the protocol's
 * destination check, prefixes of one origin gathered (an origin given bare allows every path).
 */
export function destination(
  value: string,
  previous: DestinationOption[] = [],
): DestinationOption[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected scheme://host[:port][/path-prefix], got "${value}".`);
  }
  if (url.search !== "" || url.hash !== "" || value.includes("?") || value.includes("#")) {
    throw new InvalidArgumentError(`a destination holds no query or fragment, got "${value}".`);
  }
  const prefix = url.pathname === "/" ? undefined : url.pathname;
  const checked = checkDestinationBinding({
    origin: url.origin === "null" ? value : url.origin,
    path_prefixes: prefix === undefined ? undefined : [prefix],
  });
  if (!checked.ok || url.username !== "" || url.password !== "") {
    throw new InvalidArgumentError(checked.ok ? `no credentials in "${value}".` : checked.message);
  }
  const origin = checked.value.origin;
  const same = previous.find((entry) => entry.origin === origin);
  if (same === undefined) {
    return [...previous, prefix === undefined ? { origin } : { origin, pathPrefixes: [prefix] }];
  }
  const merged: DestinationOption =
    same.pathPrefixes === undefined || prefix === undefined
      ? { origin }
      : { origin, pathPrefixes: [...same.pathPrefixes, prefix] };
  return previous.map((entry) => (entry === same ? merged : entry));
}
