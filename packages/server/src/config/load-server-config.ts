import { readFile } from "node:fs/promises";
import { parse, TomlError } from "smol-toml";
import { ConfigError, type ConfigSource } from "./config-source.js";
import {
  type OptionKind,
  SERVER_OPTIONS,
  type ServerOption,
  type ServerOptionKey,
  type ServerOptionValues,
  serverOptionEntries,
} from "./server-options.js";

/** A value given on the command line: text, a switch, or a repeated flag's values. */
export type FlagValue = string | boolean | readonly string[];

/** What {@link loadServerConfig} reads. */
export type LoadServerConfigInput = {
  /** A TOML config file (`ass server --config`). @default `ASS_CONFIG` in `env`, else none */
  file?: string;
  /** The environment. @default process.env */
  env?: Record<string, string | undefined>;
  /** Values given as flags, by option key. */
  flags?: Partial<Record<ServerOptionKey, FlagValue>>;
};

/** Every option's effective value and where it came from (null: not set, no default). */
export type EffectiveConfig = {
  values: ServerOptionValues;
  sources: Record<ServerOptionKey, ConfigSource | null>;
  /** The config file read, if any. */
  file: string | null;
};

/**
 * Reads `ass server`'s configuration: flags over environment over config file over defaults.
 *
 * @throws ConfigError naming the option and where it came from for an unknown key, a bad value,
 * or a config file that cannot be read or parsed.
 */
export async function loadServerConfig(
  input: LoadServerConfigInput = {},
): Promise<EffectiveConfig> {
  const env = input.env ?? process.env;
  const file = input.file ?? (env.ASS_CONFIG || undefined) ?? null;
  const fromFile = file === null ? new Map<ServerOptionKey, unknown>() : await readConfigFile(file);
  const values: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource | null> = {};
  for (const [key, option] of serverOptionEntries()) {
    const chosen = pick(key, option, input.flags?.[key], env, file, fromFile);
    if (chosen === null) {
      values[key] = option.default;
      sources[key] = option.default === undefined ? null : { kind: "default" };
      continue;
    }
    const parsed = option.schema.safeParse(chosen.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Where inside a list of tables (`0.upstream`), never the value.
      const inTable = option.kind === "tables" && issue !== undefined && issue.path.length > 0;
      const at = inTable ? `${issue.path.join(".")}: ` : "";
      throw new ConfigError(chosen.source, key, `${at}${issue?.message ?? "invalid value"}`);
    }
    values[key] = parsed.data;
    sources[key] = chosen.source;
  }
  return {
    values: values as ServerOptionValues,
    sources: sources as EffectiveConfig["sources"],
    file,
  };
}

/** The long flag of an option (`--port`), if it has one. */
export function longFlagOf(option: ServerOption): string | undefined {
  return option.flag?.split(/[ ,]/).find((part) => part.startsWith("--"));
}

function pick(
  key: ServerOptionKey,
  option: ServerOption,
  flagValue: FlagValue | undefined,
  env: Record<string, string | undefined>,
  file: string | null,
  fromFile: Map<ServerOptionKey, unknown>,
): { value: unknown; source: ConfigSource } | null {
  if (flagValue !== undefined) {
    const value = typeof flagValue === "string" ? fromText(option.kind, flagValue) : flagValue;
    const long = longFlagOf(option) ?? key;
    const flag = flagValue === false ? `--no-${long.slice(2)}` : long;
    return { value, source: { kind: "flag", flag } };
  }
  for (const name of option.env) {
    const text = env[name];
    // An empty variable counts as unset, as a shell's `VAR=` usually means.
    if (text !== undefined && text !== "") {
      return { value: fromText(option.kind, text), source: { kind: "env", name } };
    }
  }
  if (file !== null && fromFile.has(key)) {
    return { value: fromFile.get(key), source: { kind: "file", path: file } };
  }
  return null;
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

/** Text from a variable or a flag as the option's kind; left as text when it is not one (the schema then says what is expected). */
function fromText(kind: OptionKind, text: string): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case "string":
      return text;
    case "integer":
      return /^-?\d+$/.test(trimmed) ? Number(trimmed) : text;
    case "boolean": {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return text;
    }
    case "tables":
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return text;
      }
    case "list":
      return trimmed
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
  }
}

/** The file's options by key; unknown sections and keys are errors that name them. */
async function readConfigFile(path: string): Promise<Map<ServerOptionKey, unknown>> {
  const where: ConfigSource = { kind: "file", path };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(where, null, `cannot read it (${code ?? (error as Error).message})`);
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0] ?? "not valid TOML";
      throw new ConfigError(where, null, `line ${error.line}, column ${error.column}: ${reason}`);
    }
    throw error;
  }
  const found = new Map<ServerOptionKey, unknown>();
  const sections = new Set(Object.keys(SERVER_OPTIONS).map((key) => key.split(".")[0]));
  for (const [section, table] of Object.entries(document)) {
    if (!sections.has(section)) {
      const hint = sectionOf(section);
      throw new ConfigError(
        where,
        section,
        hint === undefined
          ? `unknown option (sections are ${[...sections].map((name) => `[${name}]`).join(", ")})`
          : `options go in sections: write it as [${hint}] ${section}`,
      );
    }
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      throw new ConfigError(where, section, "expected a [section] of options");
    }
    for (const [name, value] of Object.entries(table)) {
      const key = `${section}.${name}`;
      if (!(key in SERVER_OPTIONS)) {
        throw new ConfigError(where, key, `unknown option${suggestion(section, name)}`);
      }
      found.set(key as ServerOptionKey, value);
    }
  }
  return found;
}

function sectionOf(name: string): string | undefined {
  return Object.keys(SERVER_OPTIONS)
    .find((key) => key.endsWith(`.${name}`))
    ?.split(".")[0];
}

/** " (did you mean x?)" for a near miss in the same section, else the section's options. */
function suggestion(section: string, name: string): string {
  const names = Object.keys(SERVER_OPTIONS)
    .filter((key) => key.startsWith(`${section}.`))
    .map((key) => key.slice(section.length + 1));
  const near = names.find((candidate) => distance(candidate, name) <= 2);
  return near === undefined ? ` (known: ${names.join(", ")})` : ` (did you mean ${near}?)`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
