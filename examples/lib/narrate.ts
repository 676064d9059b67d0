/** Small helpers for the examples' narrated terminal output. */
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) =>
  useColor ? `\u001b[${code}m${text}\u001b[0m` : text;

export const bold = paint("1");
export const dim = paint("2");
export const red = paint("31");
export const green = paint("32");
export const yellow = paint("33");
export const blue = paint("34");
export const magenta = paint("35");
export const cyan = paint("36");

let stepNumber = 0;
let totalSteps: number | undefined;
const startedAt = Date.now();

/** When the example started (when this module loaded): the zero of {@link elapsed}. */
export function startTime(): Date {
  return new Date(startedAt);
}

/** Announce how many steps follow, so that each heading shows its progress (`[3/7]`). */
export function plan(steps: number): void {
  totalSteps = steps;
}

/** Prints a numbered step heading. */
export function step(title: string): void {
  stepNumber += 1;
  const number = totalSteps === undefined ? `${stepNumber}.` : `[${stepNumber}/${totalSteps}]`;
  console.log(`\n${bold(`${number} ${title}`)}`);
}

/** Prints one indented line of what happened. */
export function say(text: string): void {
  console.log(`   ${text}`);
}

/** Prints a check mark line. */
export function ok(text: string): void {
  console.log(`   ${green("✓")} ${text}`);
}

/** Prints a cross line (something the example expected did not happen). */
export function fail(text: string): void {
  console.log(`   ${red("✗")} ${text}`);
}

/** Seconds since the example started, e.g. `+1.25s`. */
function elapsed(): string {
  return `+${((Date.now() - startedAt) / 1000).toFixed(2)}s`;
}

/**
 * A printer for one concurrent actor: each line carries the time and the actor's name, so
 * interleaved lines stay readable.
 */
export function voice(
  name: string,
  color: (text: string) => string = cyan,
): (text: string) => void {
  return (text) =>
    console.log(`   ${dim(elapsed().padStart(7))} ${color(name.padEnd(11))} ${text}`);
}

/** Prints rows as aligned columns under a dimmed header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  say(dim(line(header)));
  for (const row of rows) say(line(row));
}

/** Shortens text for one line of output. */
export function short(text: string, length = 100): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
