import { type LookupAddress, type LookupAllOptions, type LookupOptions, lookup } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Addresses a broker route's host name must never resolve to: link-local ranges (where the cloud
 * metadata services live: 169.254.169.254, fd00:ec2::254) and other providers' metadata
 * addresses. A route whose upstream is one of them as a literal address names it explicitly and
 * is not looked up at all.
 */
const REFUSED = new BlockList();
REFUSED.addSubnet("169.254.0.0", 16, "ipv4");
REFUSED.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud's metadata service
REFUSED.addSubnet("fe80::", 10, "ipv6");
REFUSED.addAddress("fd00:ec2::254", "ipv6");

/** Whether `address` is link-local or a cloud metadata address (IPv4-mapped IPv6 included). */
export function isRefusedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return REFUSED.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return false;
  return REFUSED.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The error a refused resolution fails with; forward-call.ts answers it with a 502 that says why. */
export const REFUSED_ADDRESS = "ASS_UPSTREAM_ADDRESS_REFUSED";

type Resolve = typeof lookup;
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves as Node does (`resolve`, dns.lookup by default) and
 * refuses a host name any of whose addresses {@link isRefusedAddress}: a public name pointed at
 * a metadata service cannot reach it through the broker.
 */
export function guardedLookup(resolve: Resolve = lookup) {
  return (
    hostname: string,
    options: LookupOptions | LookupAllOptions,
    callback: LookupCallback,
  ): void => {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error !== null) {
        callback(error, "");
        return;
      }
      const addresses = found as LookupAddress[];
      if (addresses.some((entry) => isRefusedAddress(entry.address))) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to a link-local or cloud metadata address`,
        );
        refused.code = REFUSED_ADDRESS;
        callback(refused, "");
        return;
      }
      if ((options as LookupAllOptions).all === true) {
        callback(null, addresses);
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const none: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
        none.code = "ENOTFOUND";
        callback(none, "");
        return;
      }
      callback(null, first.address, first.family);
    });
  };
}
