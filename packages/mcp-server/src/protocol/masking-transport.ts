import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** Masks every string in a JSON value (the shared value-based redaction). */
export type MaskJson = <T>(value: T) => T;

/**
 * Makes every message `transport` sends pass through `mask` first: tool results, errors,
 * progress and every other notification. The envelope (`jsonrpc`, `id`, `method`) is left
 * as it is; what it carries (`result`, `error`, `params`) is masked. This is the last line
 * of defence: the tools already keep values out of what they answer.
 */
export function maskOutgoing<T extends Transport>(transport: T, mask: MaskJson): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(maskMessage(message, mask), options);
  return transport;
}

function maskMessage(message: JSONRPCMessage, mask: MaskJson): JSONRPCMessage {
  const carried = message as { result?: unknown; error?: unknown; params?: unknown };
  let masked: JSONRPCMessage = message;
  for (const field of ["result", "error", "params"] as const) {
    if (carried[field] === undefined) continue;
    const value = mask(carried[field]);
    if (value !== carried[field]) masked = { ...masked, [field]: value } as JSONRPCMessage;
  }
  return masked;
}
