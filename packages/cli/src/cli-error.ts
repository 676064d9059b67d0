/** An error whose message is meant for the person at the terminal; `run` prints it without a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    /** The process exit code: 1 for a failure, 2 for a usage error. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
