/** The web console at `/console` (see `ServerConfig.console`). */
export type ConsoleSettings = {
  /**
   * A session that sees no request for this long ends, in seconds.
   * @default 1800 (30 minutes)
   */
  idleTimeoutSeconds?: number;
  /**
   * A session ends this long after sign-in however busy it is, in seconds.
   * @default 43200 (12 hours)
   */
  absoluteTimeoutSeconds?: number;
};

/** The settings with every default filled in. */
export type ResolvedConsoleSettings = Required<ConsoleSettings>;

const DEFAULTS: ResolvedConsoleSettings = {
  idleTimeoutSeconds: 1800,
  absoluteTimeoutSeconds: 43_200,
};

/**
 * `true`/undefined: the defaults; `false`: no console (null); otherwise the given limits, which
 * must be whole seconds > 0 (a mistake throws when the server is built, not at first sign-in).
 */
export function resolveConsoleSettings(
  setting: boolean | ConsoleSettings | undefined,
): ResolvedConsoleSettings | null {
  if (setting === false) return null;
  if (setting === true || setting === undefined) return DEFAULTS;
  const resolved = { ...DEFAULTS, ...definedOnly(setting) };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`console.${name} must be a whole number of seconds > 0`);
    }
  }
  if (resolved.idleTimeoutSeconds > resolved.absoluteTimeoutSeconds) {
    throw new RangeError(
      "console.idleTimeoutSeconds must not exceed console.absoluteTimeoutSeconds",
    );
  }
  return resolved;
}

function definedOnly(setting: ConsoleSettings): ConsoleSettings {
  return Object.fromEntries(Object.entries(setting).filter(([, value]) => value !== undefined));
}
