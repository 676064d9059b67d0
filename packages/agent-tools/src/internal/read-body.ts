/** Reads at most `maxBytes` of a response body as text; the rest is discarded unread. */
export async function readBodyPrefix(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; complete: boolean }> {
  if (response.body === null) return { text: "", complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), complete: true };
    received += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (received >= maxBytes) {
      await reader.cancel();
      return { text, complete: false };
    }
  }
}
