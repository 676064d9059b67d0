/** A stream that may be a terminal (`process.stdout` has these fields; test streams may not). */
export type MaybeTerminal = { isTTY?: boolean; columns?: number };

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

/** A colour or emphasis that `paint` knows. */
export type Paint = keyof typeof CODES;

/** How one output stream is shown: coloured or not, and how wide it is. */
export type TerminalStyle = {
  /** True when the stream is a terminal: tables fit its width and times read as "5 min ago". */
  readonly forPeople: boolean;
  readonly color: boolean;
  /** Columns of the terminal; `undefined` when not a terminal (no fitting). */
  readonly width: number | undefined;
  /** `text` in the colour, or unchanged without colour. */
  paint(text: string, paint: Paint): string;
};

/**
 * Colour only on a terminal, never with `NO_COLOR` (https://no-color.org, any non-empty value) or
 * `--no-color`; `FORCE_COLOR` (non-empty, not 0) turns it on where there is no terminal.
 */
export function terminalStyle(
  stream: MaybeTerminal,
  env: Readonly<Record<string, string | undefined>>,
  options: { noColor?: boolean } = {},
): TerminalStyle {
  const forPeople = stream.isTTY === true;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0";
  const color =
    options.noColor !== true && !env.NO_COLOR && (forPeople || forced) && env.TERM !== "dumb";
  const width =
    forPeople && stream.columns !== undefined && stream.columns > 0 ? stream.columns : undefined;
  return {
    forPeople,
    color,
    width,
    paint: (text, paint) => {
      if (!color || text === "") return text;
      const [open, close] = CODES[paint];
      return `\u001b[${open}m${text}\u001b[${close}m`;
    },
  };
}
