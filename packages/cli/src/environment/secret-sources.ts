import type { AgentVault } from "@agentsecretstore/client";
import { CliError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";
import { envNameOf, isEnvName, relativeTo } from "./env-name.js";

/** `ass://production/openai/api-key`: a value that names a secret instead of holding it. */
const REFERENCE_PREFIX = "ass://";

/** What `ass run` / `secrets export` fetch: `--path` arguments and `ass://` references. */
export type SecretSource =
  /** A secret, or every secret below a namespace, named after its path (or `name`). */
  | { kind: "path"; path: string; name?: string }
  /** Every secret below a namespace (none: no variables). */
  | { kind: "namespace"; path: string; name?: undefined }
  /** One variable whose value is `ass://<path>`. */
  | { kind: "reference"; name: string; path: string };

/** Parses `--path` values: `path`, or `NAME=path` to choose the variable of one secret. */
export function parsePathOption(text: string): SecretSource {
  const separator = text.indexOf("=");
  if (separator === -1) return { kind: "path", path: stripPrefix(text) };
  const name = text.slice(0, separator);
  if (!isEnvName(name)) {
    throw new CliError(`--path ${text}: "${name}" is not a variable name.`, ExitCode.USAGE);
  }
  return { kind: "path", name, path: stripPrefix(text.slice(separator + 1)) };
}

/** The `ass://` references among variables (of the environment or a .env file). */
export function referencesIn(
  variables: Readonly<Record<string, string | undefined>>,
): SecretSource[] {
  return Object.entries(variables).flatMap(([name, value]) =>
    value?.startsWith(REFERENCE_PREFIX)
      ? [{ kind: "reference" as const, name, path: stripPrefix(value) }]
      : [],
  );
}

/** The read scopes a token needs to fetch `sources` (a bare path may be a secret or a namespace). */
export function readScopesFor(sources: readonly SecretSource[]): string[] {
  const scopes = sources.flatMap((source) => {
    if (source.kind === "namespace") return [`secrets:read:${source.path}/*`];
    if (source.kind === "path" && source.name === undefined) {
      return [`secrets:read:${source.path}`, `secrets:read:${source.path}/*`];
    }
    return [`secrets:read:${source.path}`];
  });
  return [...new Set(scopes)];
}

/**
 * Fetches every source's value with `vault` and names it. A bare path below which secrets
 * exist is a namespace (one variable per secret); otherwise it is one secret. Two sources
 * giving one name is an error, never a silent choice.
 */
export async function fetchSecrets(
  vault: AgentVault,
  sources: readonly SecretSource[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const origin = new Map<string, string>();
  const put = (name: string, path: string, value: string) => {
    const earlier = origin.get(name);
    if (earlier !== undefined && earlier !== path) {
      throw new CliError(
        `${name} would come from both ${earlier} and ${path}: name one with --path NAME=<path>.`,
        ExitCode.USAGE,
      );
    }
    origin.set(name, path);
    values.set(name, value);
  };
  const read = async (path: string) =>
    (await vault.getSecret(path, signal === undefined ? {} : { signal })).value;
  for (const source of sources) {
    if (source.name !== undefined) {
      put(source.name, source.path, await read(source.path));
      continue;
    }
    const below: string[] = [];
    for await (const item of vault.listSecrets(source.path)) below.push(item.path);
    if (below.length === 0 && source.kind === "path") {
      put(
        envNameOf(source.path.split("/").at(-1) ?? source.path),
        source.path,
        await read(source.path),
      );
      continue;
    }
    for (const path of below) put(envNameOf(relativeTo(source.path, path)), path, await read(path));
  }
  return values;
}

function stripPrefix(text: string): string {
  return text.startsWith(REFERENCE_PREFIX) ? text.slice(REFERENCE_PREFIX.length) : text;
}
