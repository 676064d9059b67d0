export { CliError } from "./cli-error.js";
export type { CliIo } from "./cli-io.js";
export { processIo } from "./cli-io.js";
export { run } from "./run.js";
