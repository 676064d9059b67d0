import { BlockList, isIP } from "node:net";

/** A checked list of addresses and CIDR ranges a token may be used from. */
export type IpAllowlist = {
  /** The entries exactly as given. */
  readonly entries: readonly string[];
  /**
   * Whether the peer address `ip` is on the list. IPv4-mapped IPv6 peers (`::ffff:127.0.0.1`)
   * match IPv4 entries. An empty list allows nobody; an unparsable address is never allowed.
   */
  allows(ip: string): boolean;
};

const MAX_ENTRIES = 100;

/**
 * Parses `allowed_ips` / `ip_allowlist` entries: single IPv4 or IPv6 addresses, or CIDR ranges of
 * either (`10.0.0.0/8`, `2001:db8::/32`). Entries are not trimmed or rewritten; a bad one is
 * rejected with a message naming its position. An empty list parses to an allowlist that allows
 * nobody, so callers that mean "no restriction" should not build one.
 *
 * @example
 * const parsed = parseIpAllowlist(["10.0.1.50", "192.168.0.0/16"]);
 * if (parsed.ok) parsed.allowlist.allows("192.168.4.2"); // true
 */
export function parseIpAllowlist(
  entries: readonly string[],
): { ok: true; allowlist: IpAllowlist } | { ok: false; message: string } {
  if (!Array.isArray(entries)) return { ok: false, message: "IP allowlist must be an array" };
  if (entries.length > MAX_ENTRIES) {
    return {
      ok: false,
      message: `IP allowlist has ${entries.length} entries; at most ${MAX_ENTRIES}`,
    };
  }
  const blockList = new BlockList();
  for (const [index, entry] of entries.entries()) {
    const problem = addEntry(blockList, entry);
    if (problem !== null) {
      return { ok: false, message: `IP allowlist entry ${index + 1} ${problem}` };
    }
  }
  const frozenEntries = Object.freeze([...entries]);
  return {
    ok: true,
    allowlist: {
      entries: frozenEntries,
      allows: (ip: string) => allows(blockList, ip),
    },
  };
}

function addEntry(blockList: BlockList, entry: unknown): string | null {
  const expected = "must be an IPv4 or IPv6 address or a CIDR range such as 10.0.0.0/8";
  if (typeof entry !== "string" || entry.length === 0 || entry.length > 64) return expected;
  const [address, prefix, extra] = entry.split("/");
  const family = isIP(address ?? "");
  // Zone ids (`fe80::1%eth0`) name an interface of one host, not an address others can share.
  if (family === 0 || extra !== undefined || address!.includes("%")) return expected;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (prefix === undefined) {
    blockList.addAddress(address!, type);
    return null;
  }
  const maximum = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > maximum) {
    return `has a CIDR prefix length that is not a whole number from 0 to ${maximum}`;
  }
  blockList.addSubnet(address!, Number(prefix), type);
  return null;
}

function allows(blockList: BlockList, ip: string): boolean {
  if (typeof ip !== "string") return false;
  // A peer address may carry a zone id; the address itself is what the list is about.
  const address = ip.includes("%") ? ip.slice(0, ip.indexOf("%")) : ip;
  const family = isIP(address);
  if (family === 0) return false;
  try {
    // node's BlockList also matches IPv4-mapped IPv6 addresses against IPv4 rules (and back).
    return blockList.check(address, family === 4 ? "ipv4" : "ipv6");
  } catch {
    return false;
  }
}
