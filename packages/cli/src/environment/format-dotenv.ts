import { CliError } from "../cli-error.js";

/**
 * `NAME=value` lines that both a shell (`set -a; . ./file`) and `ass secrets import` read back
 * unchanged (`forShell: false`: only for `ass secrets import`, which takes `$` literally): plain values bare, others in single quotes (literal, may span lines), values
 * holding a single quote in double quotes with `\\`, `"`, `\n`, `\r`, `\t` escaped.
 */
export function formatDotenv(
  entries: readonly [name: string, value: string][],
  options: { forShell?: boolean } = {},
): string {
  const forShell = options.forShell ?? true;
  return entries.map(([name, value]) => `${name}=${quoteValue(name, value, forShell)}\n`).join("");
}

function quoteValue(name: string, value: string, forShell: boolean): string {
  if (/^[A-Za-z0-9_./:@+,=-]+$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (forShell && (value.includes("$") || value.includes("`"))) {
    // Neither quoting survives both readers unchanged: say so rather than write a wrong value.
    throw new CliError(
      `the value of ${name} holds both ' and $ or \`, which a .env file cannot carry for both a shell and ass: use --format json.`,
    );
  }
  const escaped = value.replace(/[\\"\n\r\t]/g, (character) => ESCAPES[character] ?? character);
  return `"${escaped}"`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
