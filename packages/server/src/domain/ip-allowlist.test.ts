import { describe, expect, it } from "vitest";
import { type IpAllowlist, parseIpAllowlist } from "./ip-allowlist.js";

function allowlist(entries: readonly string[]): IpAllowlist {
  const result = parseIpAllowlist(entries);
  if (!result.ok) throw new Error(result.message);
  return result.allowlist;
}

describe("parseIpAllowlist", () => {
  it("allows a listed IPv4 address and nothing else", () => {
    const list = allowlist(["10.0.1.50"]);
    expect(list.allows("10.0.1.50")).toBe(true);
    expect(list.allows("10.0.1.51")).toBe(false);
    expect(list.entries).toEqual(["10.0.1.50"]);
  });

  it("allows every address inside an IPv4 CIDR range", () => {
    const list = allowlist(["192.168.0.0/16"]);
    expect(list.allows("192.168.255.1")).toBe(true);
    expect(list.allows("192.169.0.1")).toBe(false);
  });

  it("handles IPv6 addresses and ranges", () => {
    const list = allowlist(["2001:db8::/32", "::1"]);
    expect(list.allows("2001:db8:1::7")).toBe(true);
    expect(list.allows("2001:db9::1")).toBe(false);
    expect(list.allows("::1")).toBe(true);
    expect(list.allows("0:0:0:0:0:0:0:1")).toBe(true);
  });

  it("matches IPv4-mapped IPv6 peers against IPv4 entries", () => {
    const list = allowlist(["127.0.0.1", "10.0.0.0/8"]);
    expect(list.allows("::ffff:127.0.0.1")).toBe(true);
    expect(list.allows("::ffff:10.20.30.40")).toBe(true);
    expect(list.allows("::ffff:11.0.0.1")).toBe(false);
  });

  it("allows nobody with an empty list", () => {
    expect(allowlist([]).allows("127.0.0.1")).toBe(false);
  });

  it("never allows an address it cannot parse, and never throws", () => {
    const list = allowlist(["0.0.0.0/0", "::/0"]);
    expect(list.allows("127.0.0.1")).toBe(true);
    for (const peer of [
      "",
      "localhost",
      "127.0.0.1/8",
      "1.2.3",
      "::g",
      undefined as unknown as string,
    ]) {
      expect(list.allows(peer)).toBe(false);
    }
  });

  it("ignores a peer's IPv6 zone id", () => {
    expect(allowlist(["fe80::1"]).allows("fe80::1%eth0")).toBe(true);
  });

  it.each([
    ["10.0.0.0/33", "0 to 32"],
    ["2001:db8::/129", "0 to 128"],
    ["10.0.0.0/-1", "0 to 32"],
    ["10.0.0.0/8/8", "CIDR range"],
    ["10.0.0.256", "CIDR range"],
    ["example.com", "CIDR range"],
    [" 10.0.0.1", "CIDR range"],
    ["fe80::1%eth0", "CIDR range"],
    ["", "CIDR range"],
  ])("rejects %j and names the bad entry (%s)", (entry, expected) => {
    const result = parseIpAllowlist(["127.0.0.1", entry]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain("entry 2");
    expect(!result.ok && result.message).toContain(expected);
  });

  it("rejects something that is not a list", () => {
    expect(parseIpAllowlist("10.0.0.1" as unknown as string[]).ok).toBe(false);
  });
});
