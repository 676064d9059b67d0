/** Where log text goes (process.stderr, or a test's capture). */
export type LogOutput = { write(chunk: string): unknown };

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Fields every pino line has, shown in the line's head rather than as `name=value`. */
const HEAD_FIELDS = new Set(["level", "time", "pid", "hostname", "msg", "v"]);

/**
 * A pino destination that writes each JSON log line as one line for people to read:
 * `12:04:05 INFO  request completed method=GET url=/v1/health statusCode=200`. The server's
 * redaction has already happened (this only reformats); a line that is not JSON passes through.
 */
export function createPrettyLogStream(output: LogOutput): LogOutput {
  let pending = "";
  return {
    write(chunk: string) {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        output.write(`${prettyLine(pending.slice(0, newline))}\n`);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
      return true;
    },
  };
}

/** One pino JSON line as text. */
export function prettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== "object" || record === null) return line;
  const time =
    typeof record.time === "number" ? new Date(record.time).toISOString().slice(11, 19) : "";
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level ?? "");
  const fields = Object.entries(record)
    .filter(([name]) => !HEAD_FIELDS.has(name))
    .map(([name, value]) => `${name}=${formatField(value)}`);
  return [time, level.padEnd(5), String(record.msg ?? ""), ...fields].filter(Boolean).join(" ");
}

function formatField(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}
