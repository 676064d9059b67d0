import { z } from "zod";

const ALPHABETS = {
  alphanumeric: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  hex: "0123456789abcdef",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
} as const;

/** The `generate` argument of `set_secret` and `rotate_secret`. */
export const generateSchema = z
  .object({
    length: z
      .number()
      .int()
      .min(16)
      .max(256)
      .default(32)
      .describe("Number of characters (16-256). Default 32."),
    alphabet: z
      .enum(["alphanumeric", "hex", "base64url"])
      .default("alphanumeric")
      .describe("Characters to use. Default alphanumeric."),
  })
  .describe(
    "Have the tool create a random value (a new password, webhook secret or signing key) that you never see. Use instead of a value.",
  );

export type GenerateOptions = z.infer<typeof generateSchema>;

/** A random value from a cryptographic source, uniform over the alphabet. */
export function generateValue(options: GenerateOptions): string {
  const alphabet = ALPHABETS[options.alphabet];
  // Bytes at or above this bound would make some characters likelier than others.
  const bound = 256 - (256 % alphabet.length);
  let value = "";
  while (value.length < options.length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(options.length * 2))) {
      if (byte < bound && value.length < options.length) value += alphabet[byte % alphabet.length];
    }
  }
  return value;
}
