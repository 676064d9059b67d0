import { isIP } from "node:net";

/**
 * Whether `host` (an address to bind, or a Host header's name) is this machine only: the same
 * rule as `ass server`'s, which refuses plain HTTP anywhere else.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost") return true;
  const unmapped = bare.startsWith("::ffff:") ? bare.slice(7) : bare;
  if (isIP(unmapped) === 4) return unmapped.startsWith("127.");
  return bare === "::1";
}

/** The host part of an origin for `host`: wildcard binds are reached on loopback. */
export function originHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** The name in a Host header (`127.0.0.1:8788` → `127.0.0.1`, `[::1]:8788` → `[::1]`). */
export function hostHeaderName(header: string): string {
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  const colon = header.lastIndexOf(":");
  return colon === -1 ? header : header.slice(0, colon);
}
