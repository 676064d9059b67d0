import { escapeUnsafeText } from "@agentsecretstore/protocol";

/** Markup that is already safe to send: produced by {@link html}. */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * A template tag that escapes every interpolated value unless it is {@link SafeHtml} (or an array
 * of them), so text from the API or a requester cannot become markup.
 *
 * @example
 * html`<p>Signed in as ${adminName}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(text);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  // Unsafe characters written out first, so that what a person reads is what is stored.
  return escapeHtml(escapeUnsafeText(String(value)));
}
