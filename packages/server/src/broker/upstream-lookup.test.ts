import { promises as dns, type LookupAddress, type lookup } from "node:dns";
import { once } from "node:events";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { guardedLookup, isRefusedAddress, REFUSED_ADDRESS } from "./upstream-lookup.js";

/** A resolver that answers every name with `addresses` (DNS is outside the project). */
function answering(addresses: LookupAddress[]): typeof lookup {
  return ((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
    callback(null, addresses)) as unknown as typeof lookup;
}

function resolveWith(addresses: LookupAddress[], all = false) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
    guardedLookup(answering(addresses))("api.example.com", { all }, (error, address) =>
      resolve({ error, address }),
    );
  });
}

describe("the broker's upstream lookup", () => {
  it.each([
    ["169.254.169.254", true],
    ["169.254.0.1", true],
    ["100.100.100.200", true],
    ["fe80::1", true],
    ["fd00:ec2::254", true],
    ["::ffff:169.254.169.254", true],
    ["127.0.0.1", false],
    ["10.0.0.5", false],
    ["93.184.216.34", false],
    ["2606:4700::1111", false],
  ])("refuses %s: %s", (address, refused) => {
    expect(isRefusedAddress(address)).toBe(refused);
  });

  it("refuses a name any of whose addresses is a metadata address, saying so", async () => {
    const { error } = await resolveWith([
      { address: "93.184.216.34", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ]);
    expect(error?.code).toBe(REFUSED_ADDRESS);
    expect(error?.message).toContain("api.example.com");
  });

  it("answers other names as dns.lookup would, one address or all", async () => {
    const addresses = [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:4700::1111", family: 6 },
    ];
    expect(await resolveWith(addresses)).toEqual({ error: null, address: "93.184.216.34" });
    expect(await resolveWith(addresses, true)).toEqual({ error: null, address: addresses });
  });

  it("works as http.request's lookup with Node's own resolver (a name, not an address)", async () => {
    const local = await dns.lookup("localhost");
    const stub = createServer((_request, response) => response.end("ok"));
    stub.listen(0, local.address);
    await once(stub, "listening");
    const port = (stub.address() as AddressInfo).port;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        get(`http://localhost:${port}/`, { lookup: guardedLookup() as never }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on("error", reject);
      });
      expect(status).toBe(200);
    } finally {
      stub.close();
    }
  });
});
