import { describeKey } from "./config-source.js";
import { longFlagOf } from "./load-server-config.js";
import { type ServerOption, serverOptionEntries } from "./server-options.js";

/**
 * The Markdown table of every option (config file key, variables, flag, default, description),
 * as packages/server/README.md carries it; a test checks that the README matches.
 */
export function formatOptionsTable(): string {
  const rows = [
    "| config file | environment | flag | default | description |",
    "|---|---|---|---|---|",
  ];
  for (const [key, option] of serverOptionEntries()) {
    const flag = longFlagOf(option);
    const cells = [
      `\`${describeKey(key)}\``,
      option.env.map((name) => `\`${name}\``).join(", "),
      flag === undefined
        ? "—"
        : `\`${option.kind === "boolean" ? `${flag}, --no-${flag.slice(2)}` : flag}\``,
      defaultCell(option),
      `${option.description}${option.secret ? " Secret: masked in `--print-config`." : ""}`,
    ];
    rows.push(`| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`);
  }
  return `${rows.join("\n")}\n`;
}

function defaultCell(option: ServerOption): string {
  if (option.default === undefined) return option.defaultText ?? "none";
  if (Array.isArray(option.default) && option.default.length === 0) return "none";
  return `\`${JSON.stringify(option.default)}\``;
}
