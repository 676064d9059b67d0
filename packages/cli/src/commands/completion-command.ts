import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";

const SHELLS = ["bash", "zsh", "fish"] as const;

/** One command of the tree: its path (`secrets get`), subcommand names and long options. */
type Node = { path: string; subcommands: string[]; options: string[] };

/** `ass completion bash|zsh|fish`: a completion script generated from the command tree itself. */
export function registerCompletionCommand(program: Command, io: CliIo): void {
  program
    .command("completion")
    .description("Print a shell completion script for bash, zsh or fish.")
    .argument("<shell>", SHELLS.join(", "))
    .addHelpText(
      "after",
      "\nInstall:\n" +
        "  bash  echo 'source <(ass completion bash)' >> ~/.bashrc\n" +
        "  zsh   echo 'source <(ass completion zsh)' >> ~/.zshrc\n" +
        "  fish  ass completion fish > ~/.config/fish/completions/ass.fish",
    )
    .action((shell: string) => {
      const nodes = commandTree(program);
      if (shell === "bash") io.stdout.write(bashScript(nodes));
      else if (shell === "zsh") io.stdout.write(zshScript(nodes));
      else if (shell === "fish") io.stdout.write(fishScript(nodes));
      else
        throw new CliError(`unknown shell "${shell}": use ${SHELLS.join(", ")}.`, ExitCode.USAGE);
    });
}

/** Every command below `root`, breadth first, with the root as path "". */
function commandTree(root: Command): Node[] {
  const nodes: Node[] = [];
  const visit = (command: Command, path: string) => {
    const visible = command.commands.filter((sub) => sub.name() !== "help");
    nodes.push({
      path,
      subcommands: visible.flatMap((sub) => [sub.name(), ...sub.aliases()]),
      options: [
        ...command.options.flatMap((option) => (option.long ? [option.long] : [])),
        "--help",
      ],
    });
    for (const sub of visible) visit(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(root, "");
  return nodes;
}

function bashScript(nodes: readonly Node[]): string {
  const cases = nodes
    .map(
      (node) =>
        `    "${node.path}") words="${[...node.subcommands, ...node.options].join(" ")}" ;;`,
    )
    .join("\n");
  const known = nodes.map((node) => node.path).filter((path) => path !== "");
  return `# ass completion for bash: source <(ass completion bash)
_ass_known_path() {
  case "$1" in
${known.map((path) => `    "${path}") return 0 ;;`).join("\n")}
  esac
  return 1
}
_ass_complete() {
  local current="\${COMP_WORDS[COMP_CWORD]}" path="" candidate words="" index
  for ((index = 1; index < COMP_CWORD; index++)); do
    candidate="\${path:+$path }\${COMP_WORDS[index]}"
    if _ass_known_path "$candidate"; then path="$candidate"; fi
  done
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$current"))
}
complete -o default -F _ass_complete ass
`;
}

function zshScript(nodes: readonly Node[]): string {
  return `# ass completion for zsh: source <(ass completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(nodes).split("\n").slice(1).join("\n")}`;
}

function fishScript(nodes: readonly Node[]): string {
  const lines = [
    "# ass completion for fish: ass completion fish > ~/.config/fish/completions/ass.fish",
  ];
  lines.push("complete -c ass -f");
  for (const node of nodes) {
    const words = node.path === "" ? [] : node.path.split(" ");
    const siblings = node.subcommands.join(" ");
    const condition =
      words.length === 0
        ? `not __fish_seen_subcommand_from ${nodes[0]?.subcommands.join(" ") ?? ""}`
        : `__fish_seen_subcommand_from ${words.at(-1)}${siblings ? `; and not __fish_seen_subcommand_from ${siblings}` : ""}`;
    if (node.subcommands.length > 0) {
      lines.push(`complete -c ass -n '${condition}' -a '${siblings}'`);
    }
    for (const option of node.options) {
      lines.push(`complete -c ass -n '${condition}' -l ${option.slice(2)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
