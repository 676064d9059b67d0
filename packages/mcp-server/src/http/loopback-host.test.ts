import { describe, expect, it } from "vitest";
import { hostHeaderName, isLoopbackHost, originHost } from "./loopback-host.js";

describe("isLoopbackHost", () => {
  it("accepts this machine's addresses and names", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it("refuses every other address, wildcard binds included", () => {
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com", "127.0.0.1.nip.io"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe("hostHeaderName", () => {
  it("drops the port of IPv4, names and bracketed IPv6", () => {
    expect(hostHeaderName("127.0.0.1:8788")).toBe("127.0.0.1");
    expect(hostHeaderName("localhost")).toBe("localhost");
    expect(hostHeaderName("[::1]:8788")).toBe("[::1]");
  });
});

describe("originHost", () => {
  it("reaches wildcard binds on loopback and brackets IPv6", () => {
    expect(originHost("0.0.0.0")).toBe("127.0.0.1");
    expect(originHost("::")).toBe("[::1]");
    expect(originHost("::1")).toBe("[::1]");
    expect(originHost("127.0.0.1")).toBe("127.0.0.1");
  });
});
