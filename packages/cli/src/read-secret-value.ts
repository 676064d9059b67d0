import { readFile } from "node:fs/promises";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";

/**
 * Reads a secret value without it ever being on the command line (where shell history and `ps`
 * would keep it): from `--from-file`, from piped standard input, or typed at a hidden prompt.
 * One trailing newline is dropped, as `echo` and editors add it.
 */
export async function readSecretValue(
  io: CliIo,
  options: { fromFile?: string | undefined; prompt: string },
): Promise<string> {
  if (options.fromFile !== undefined) {
    return withoutTrailingNewline(await readFile(options.fromFile, "utf8"));
  }
  const stdin = io.stdin;
  if (!stdin) {
    throw new CliError("no value given: pipe it on standard input or use --from-file <file>.", 2);
  }
  const value = stdin.isTTY ? await promptHidden(io, stdin, options.prompt) : await readAll(stdin);
  const trimmed = withoutTrailingNewline(value);
  if (trimmed.length === 0) {
    throw new CliError(
      "the value is empty: pipe it on standard input or use --from-file <file>.",
      2,
    );
  }
  return trimmed;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads one line from a terminal without echoing it. */
function promptHidden(
  io: CliIo,
  stdin: NonNullable<CliIo["stdin"]>,
  prompt: string,
): Promise<string> {
  io.stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      stdin.removeListener("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const character of chunk.toString()) {
        if (character === "\r" || character === "\n" || character === "\u0004") return finish();
        if (character === "\u0003") return finish(new CliError("cancelled.", 130));
        if (character === "\u007f" || character === "\b") typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    stdin.on("data", onData);
  });
}

function withoutTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
