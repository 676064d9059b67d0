/**
 * The values an `.env` text carries, as best a line-by-line reading can tell (the whole
 * text, each line, each `KEY=` line's value raw and unquoted). They are the `sensitiveValues`
 * of an import, scrubbed from any error message should the server ever echo one; the
 * server's parser stays the authority on what the text means.
 */
export function dotenvSensitiveValues(content: string): string[] {
  const values = new Set<string>([content]);
  for (const line of content.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    values.add(trimmed);
    const equals = trimmed.indexOf("=");
    if (equals === -1) continue;
    const raw = trimmed.slice(equals + 1).trim();
    values.add(raw);
    values.add(raw.replace(/^["']|["']$/g, ""));
  }
  return [...values].filter((value) => value !== "");
}
