/** Small helpers for the examples' narrated terminal output. */
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) =>
  useColor ? `\u001b[${code}m${text}\u001b[0m` : text;

export const bold = paint("1");
export const dim = paint("2");
export const green = paint("32");
export const yellow = paint("33");
export const cyan = paint("36");

let stepNumber = 0;

/** Prints a numbered step heading. */
export function step(title: string): void {
  stepNumber += 1;
  console.log(`\n${bold(`${stepNumber}. ${title}`)}`);
}

/** Prints one indented line of what happened. */
export function say(text: string): void {
  console.log(`   ${text}`);
}

/** Prints a check mark line. */
export function ok(text: string): void {
  console.log(`   ${green("✓")} ${text}`);
}
