/** One fenced code block of a Markdown file. */
export type CodeBlock = {
  /** The fence's language: `ts`, `sh`, or `""`. */
  language: string;
  /** The block's text, without the fences. */
  code: string;
  /** The nearest heading above it. */
  heading: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Preceded by `<!-- snippet: continues -->`: the block goes on from the previous one. */
  continues: boolean;
};

const CONTINUES_MARKER = /^<!--\s*snippet:\s*continues\s*-->$/;

/** Every fenced code block of a Markdown text, in order. */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  let heading = "";
  let continues = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const fence = line.match(/^```(\w*)\s*$/);
    if (fence === null) {
      if (line.startsWith("#")) heading = line.replace(/^#+\s*/, "");
      if (CONTINUES_MARKER.test(line.trim())) continues = true;
      else if (line.trim() !== "") continues = false;
      continue;
    }
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !/^```\s*$/.test(lines[index] ?? ""); index += 1) {
      body.push(lines[index] ?? "");
    }
    blocks.push({
      language: fence[1] ?? "",
      code: body.join("\n"),
      heading,
      line: start + 1,
      continues,
    });
    continues = false;
  }
  return blocks;
}

/**
 * The TypeScript programs the README's `ts` blocks make: each block on its own, or appended
 * to the program before it when marked as continuing it.
 */
export function typeScriptPrograms(blocks: readonly CodeBlock[]): CodeBlock[] {
  const programs: CodeBlock[] = [];
  for (const block of blocks) {
    if (block.language !== "ts") continue;
    const previous = programs.at(-1);
    if (block.continues && previous === undefined) {
      throw new Error(
        `README line ${block.line}: a block marked as continuing has no block before it`,
      );
    }
    programs.push(
      block.continues && previous !== undefined
        ? { ...block, code: `${previous.code}\n${block.code}` }
        : block,
    );
  }
  return programs;
}

/** The code without comments and string literals, to see which names it really uses. */
function codeOnly(code: string): string {
  return code
    .replace(/\/\/.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
}

/** Whether the program uses `name` without declaring or importing it. */
export function usesUndeclared(code: string, name: string): boolean {
  const source = codeOnly(code);
  if (!new RegExp(`\\b${name}\\b`).test(source)) return false;
  const declared = new RegExp(`\\b(?:const|let|var|using)\\s+${name}\\b`).test(source);
  const imported = new RegExp(`import\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}`).test(source);
  return !declared && !imported;
}

/** The root package scripts a shell block runs with `pnpm <script>` (pnpm's own commands left out). */
export function pnpmScriptsIn(shell: string): string[] {
  const builtins = new Set([
    "install",
    "i",
    "add",
    "remove",
    "exec",
    "dlx",
    "update",
    "-r",
    "--filter",
  ]);
  const scripts: string[] = [];
  for (const command of commandsIn(shell)) {
    const words = command.split(/\s+/).filter(Boolean);
    if (words[0] !== "pnpm") continue;
    const rest = words.slice(1).filter((word) => !/^(?:-s|--silent)$/.test(word));
    const first = rest[0];
    if (first === undefined || builtins.has(first)) continue;
    const script = first === "run" ? rest[1] : first;
    if (script !== undefined) scripts.push(script);
  }
  return scripts;
}

/** Files a shell block runs (`bash <file>`, `node … <file>.ts`), relative to the repository. */
export function filesRunIn(shell: string): string[] {
  const files: string[] = [];
  for (const command of commandsIn(shell)) {
    const words = command.split(/\s+/).filter(Boolean);
    if (words[0] === "bash" && words[1] !== undefined) files.push(words[1]);
    if (words[0] === "node") files.push(...words.filter((word) => /\.(?:ts|mjs|js)$/.test(word)));
  }
  return files;
}

function commandsIn(shell: string): string[] {
  return shell
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, ""))
    .flatMap((line) => line.split(/&&|\|\||;|\|/))
    .map((command) => command.replace(/[<>].*$/, "").trim())
    .filter(Boolean);
}
