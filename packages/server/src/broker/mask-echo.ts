import type { OutgoingHttpHeaders } from "node:http";
import { Transform } from "node:stream";

/**
 * A stream that replaces every occurrence of `value` with as many `*` (the length, and so any
 * Content-Length, unchanged), also across chunk boundaries. It holds back only the end of a
 * chunk that could begin the value, so a stream that never echoes it flows on at once.
 */
export function maskEcho(value: string): Transform {
  const secret = Buffer.from(value, "utf8");
  let pending = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const data = Buffer.concat([pending, chunk]);
      for (
        let at = data.indexOf(secret);
        at !== -1;
        at = data.indexOf(secret, at + secret.length)
      ) {
        data.fill("*", at, at + secret.length);
      }
      let keep = 0;
      for (let length = Math.min(secret.length - 1, data.length); length > 0; length -= 1) {
        if (data.subarray(data.length - length).equals(secret.subarray(0, length))) {
          keep = length;
          break;
        }
      }
      pending = Buffer.from(data.subarray(data.length - keep));
      done(null, data.subarray(0, data.length - keep));
    },
    flush(done) {
      done(null, pending);
    },
  });
}

/** Headers with every occurrence of `value` in their values masked the same way. */
export function maskEchoInHeaders(
  headers: OutgoingHttpHeaders,
  value: string,
): OutgoingHttpHeaders {
  const mask = "*".repeat(value.length);
  const masked: OutgoingHttpHeaders = {};
  for (const [name, field] of Object.entries(headers)) {
    masked[name] = Array.isArray(field)
      ? field.map((item) => item.replaceAll(value, mask))
      : typeof field === "string"
        ? field.replaceAll(value, mask)
        : field;
  }
  return masked;
}
