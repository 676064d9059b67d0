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
