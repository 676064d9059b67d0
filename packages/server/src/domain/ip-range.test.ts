import { describe, expect, it } from "vitest";
import { ipEntriesWithin, ipRangeOf } from "./ip-range.js";

describe("ipRangeOf", () => {
  it("maps IPv4 addresses into the IPv4-mapped IPv6 space", () => {
    expect(ipRangeOf("10.0.0.1")).toEqual(ipRangeOf("::ffff:10.0.0.1"));
    expect(ipRangeOf("10.0.0.0/8")).toEqual(ipRangeOf("::ffff:10.0.0.0/104"));
    expect(ipRangeOf("0.0.0.0/0")).toEqual(ipRangeOf("::ffff:0:0/96"));
  });

  it("expands compressed IPv6 forms to the same address", () => {
    expect(ipRangeOf("::1")).toEqual(ipRangeOf("0:0:0:0:0:0:0:1"));
    expect(ipRangeOf("2001:db8::")).toEqual(ipRangeOf("2001:db8:0:0:0:0:0:0"));
    expect(ipRangeOf("2001:db8::7:8")?.first).toBe((0x20010db8n << 96n) | (7n << 16n) | 8n);
  });

  it("masks the host bits of a CIDR range", () => {
    const range = ipRangeOf("192.168.1.77/24");
    expect(range?.last !== undefined && range.last - range.first).toBe(255n);
    expect(range).toEqual(ipRangeOf("192.168.1.0/24"));
  });

  it("rejects what is not an address or a CIDR range", () => {
    for (const entry of ["", "10.0.0.1/33", "::1/129", "10.0.0.1/8/1", "fe80::1%eth0", "host"]) {
      expect(ipRangeOf(entry), entry).toBeNull();
    }
  });
});

describe("ipEntriesWithin", () => {
  it("holds when each child entry lies inside one parent entry", () => {
    expect(ipEntriesWithin(["10.0.0.5", "10.0.0.128/25"], ["10.0.0.0/24"])).toBe(true);
    expect(ipEntriesWithin(["::ffff:10.0.0.5"], ["10.0.0.0/24"])).toBe(true);
    expect(ipEntriesWithin(["2001:db8:1::/48"], ["2001:db8::/32", "10.0.0.1"])).toBe(true);
  });

  it("fails when any child entry reaches outside the parent", () => {
    expect(ipEntriesWithin(["10.0.0.0/16"], ["10.0.0.0/24"])).toBe(false);
    expect(ipEntriesWithin(["10.0.0.5", "10.0.1.5"], ["10.0.0.0/24"])).toBe(false);
    expect(ipEntriesWithin(["0.0.0.0/0"], ["10.0.0.0/8"])).toBe(false);
    expect(ipEntriesWithin(["::/0"], ["0.0.0.0/0"])).toBe(false);
    expect(ipEntriesWithin(["::1"], ["127.0.0.1"])).toBe(false);
  });

  it("does not join a range across two parent entries with a gap between them", () => {
    expect(ipEntriesWithin(["10.0.0.0/23"], ["10.0.0.0/24", "10.0.2.0/24"])).toBe(false);
  });
});
