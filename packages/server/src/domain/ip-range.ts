import { isIP } from "node:net";

/**
 * An allowlist entry as an inclusive range of addresses in one 128-bit space, where an IPv4
 * address `a.b.c.d` is the IPv4-mapped `::ffff:a.b.c.d`: the same equivalence node's `BlockList`
 * applies when it checks a peer, so containment here agrees with what `allows()` lets in.
 */
export type IpRange = { readonly first: bigint; readonly last: bigint };

const IPV4_MAPPED_BASE = 0xffffn << 32n;

/** The range of one `allowed_ips` entry (an address or a CIDR range); null when malformed. */
export function ipRangeOf(entry: string): IpRange | null {
  const [address = "", prefixText, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined || address.includes("%")) return null;
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return null;
  const value = family === 4 ? IPV4_MAPPED_BASE | ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return { first, last: first | ((1n << hostBits) - 1n) };
}

/**
 * Whether every address `child` allows is also allowed by `parent` (both lists of entries as
 * `parseIpAllowlist` accepts them). Each child entry must lie inside one parent entry: sound, and
 * conservative only for a child range that spans several adjacent parent entries.
 */
export function ipEntriesWithin(child: readonly string[], parent: readonly string[]): boolean {
  const parentRanges = parent.map(ipRangeOf);
  return child.every((entry) => {
    const range = ipRangeOf(entry);
    if (range === null) return false;
    return parentRanges.some(
      (outer) => outer !== null && outer.first <= range.first && range.last <= outer.last,
    );
  });
}

function ipv4ToBigInt(address: string): bigint {
  return address
    .split(".")
    .reduce((value, octet) => (value << 8n) | BigInt(Number.parseInt(octet, 10)), 0n);
}

/** `isIP` already accepted the text: `::` appears at most once and a dotted tail is valid. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const tail = ipv4ToBigInt(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...Array<string>(rest === undefined ? 0 : missing).fill("0"),
    ...tailGroups,
  ];
  return groups.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
