import { CliError } from "../cli-error.js";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";

/**
 * Asks before something that cannot be undone: `--yes` (or `--force`) answers for scripts; on a
 * terminal the person types y; anywhere else the command refuses and says to add --yes.
 */
export async function confirm(
  io: CliIo,
  question: string,
  options: { yes?: boolean | undefined; refusal: string },
): Promise<void> {
  if (options.yes === true) return;
  const stdin = io.stdin;
  if (!stdin?.isTTY)
    throw new CliError(`${options.refusal}; add --yes to confirm.`, ExitCode.USAGE);
  io.stderr.write(`${question} [y/N] `);
  const answer = await readLine(stdin);
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new CliError("cancelled; nothing was changed.", ExitCode.FAILURE);
}

function readLine(stdin: NonNullable<CliIo["stdin"]>): Promise<string> {
  return new Promise((resolve) => {
    let typed = "";
    const onData = (chunk: Buffer | string) => {
      typed += chunk.toString();
      const end = typed.search(/[\r\n]/);
      if (end === -1) return;
      stdin.removeListener("data", onData);
      stdin.pause();
      resolve(typed.slice(0, end));
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}
