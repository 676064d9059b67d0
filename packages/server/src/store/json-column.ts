/**
 * JSON columns are stored as text on every engine (docs/development.md: pg would turn a JS array
 * into a PG array). Reading one back never throws: a damaged column yields the fallback.
 */
export function parseJsonColumn<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function parseStringArray(text: string | null): string[] {
  const value = parseJsonColumn<unknown>(text, []);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

export function parseStringRecord(text: string | null): Record<string, string> {
  const value = parseJsonColumn<unknown>(text, {});
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") record[key] = item;
  }
  return record;
}
