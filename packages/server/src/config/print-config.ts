import { describeSource } from "./config-source.js";
import type { EffectiveConfig } from "./load-server-config.js";
import { type ServerOption, serverOptionEntries } from "./server-options.js";

const MASK = "********";

/**
 * The effective configuration as `ass server --print-config` shows it: TOML by section, each value
 * with its source, secrets masked (a URL keeps all but its password), unset options commented out.
 *
 * @example
 * // [server]
 * // port = 9000                       # flag --port
 * // database_url = "postgres://vault:********@db/vault"   # environment DATABASE_URL
 */
export function formatEffectiveConfig(config: EffectiveConfig): string {
  const lines = [
    "# Effective configuration of ass server (flags > environment > config file > defaults)",
    `# config file: ${config.file ?? "none"}`,
  ];
  let section = "";
  for (const [key, option] of serverOptionEntries()) {
    const [name, field] = key.split(".") as [string, string];
    if (name !== section) {
      section = name;
      lines.push("", `[${section}]`);
    }
    const source = config.sources[key];
    const value = config.values[key];
    if (source === null || value === undefined) {
      lines.push(`# ${field} = (not set: ${option.defaultText ?? "none"})`);
      continue;
    }
    const shown = `${field} = ${formatValue(option, value)}`;
    lines.push(`${shown.padEnd(48)} # ${describeSource(source)}`);
  }
  return `${lines.join("\n")}\n`;
}

function formatValue(option: ServerOption, value: unknown): string {
  if (option.secret === true) return JSON.stringify(MASK);
  if (option.secret === "url" && typeof value === "string")
    return JSON.stringify(maskPassword(value));
  return tomlValue(value);
}

/** A value as TOML writes it inline: lists in brackets, tables as `{ key = value }`. */
function tomlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{ ${fields.map(([name, field]) => `${name} = ${tomlValue(field)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** A URL with its password (and nothing else) replaced by the mask; anything unparsable wholly masked. */
export function maskPassword(text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.password !== "") parsed.password = MASK;
    return parsed.toString();
  } catch {
    return MASK;
  }
}
