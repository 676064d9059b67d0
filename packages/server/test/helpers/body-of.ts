/**
 * A fetch answer's JSON body, loosely typed for assertions (Node's `Response.json()` is
 * `unknown`): the vault's error shape, and any other field.
 */
export type AnswerBody = {
  error: { code: string; message: string; [field: string]: unknown };
  [field: string]: unknown;
};

/** `await response.json()`, typed as {@link AnswerBody}. */
export async function bodyOf(response: Response): Promise<AnswerBody> {
  return (await response.json()) as AnswerBody;
}
