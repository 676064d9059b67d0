/** Where an option's effective value came from. */
export type ConfigSource =
  | { kind: "default" }
  | { kind: "file"; path: string }
  | { kind: "env"; name: string }
  | { kind: "flag"; flag: string };

/** A source as messages and `--print-config` name it: `config file x.toml`, `environment ASS_PORT`. */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case "default":
      return "default";
    case "file":
      return `config file ${source.path}`;
    case "env":
      return `environment ${source.name}`;
    case "flag":
      return `flag ${source.flag}`;
  }
}

/** A key as a config file writes it: `[limits] per_credential_points`. */
export function describeKey(key: string): string {
  const dot = key.indexOf(".");
  return dot < 0 ? key : `[${key.slice(0, dot)}] ${key.slice(dot + 1)}`;
}

/**
 * A configuration mistake: which option, from where, and what is expected. The message never
 * holds the value (it may be a secret).
 *
 * @example
 * // config file x.toml: [limits] per_credential_points: expected a positive integer
 * // environment ASS_PORT ([server] port): expected a whole number from 0 to 65535
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "CONFIG_INVALID";

  constructor(
    /** Where the mistake is; null when it is between options (give both tls.cert and tls.key). */
    readonly source: ConfigSource | null,
    /** The option (`server.port`), or null for a file-wide problem. */
    readonly key: string | null,
    /** What is expected. */
    readonly reason: string,
  ) {
    super(messageOf(source, key, reason));
  }
}

function messageOf(source: ConfigSource | null, key: string | null, reason: string): string {
  if (source === null) return `configuration: ${reason}`;
  const where = describeSource(source);
  if (key === null) return `${where}: ${reason}`;
  return source.kind === "file"
    ? `${where}: ${describeKey(key)}: ${reason}`
    : `${where} (${describeKey(key)}): ${reason}`;
}
