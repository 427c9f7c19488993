import { describe, expect, it } from "vitest";
import { clientAddress, isTrustedProxy, normalizeAddress, parseTrustedProxies } from "@/lib/server/http/client-address";

describe("normalizeAddress", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6 and lowercases IPv6", () => {
    expect(normalizeAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("::FFFF:7f00:1")).toBe("127.0.0.1");
    expect(normalizeAddress("0:0:0:0:0:ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(normalizeAddress("::1")).toBe("::1");
  });

  it("drops brackets, ports and zones; refuses what is no address", () => {
    expect(normalizeAddress(" [2001:db8::5]:8443 ")).toBe("2001:db8::5");
    expect(normalizeAddress("198.51.100.4:5060")).toBe("198.51.100.4");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    for (const bad of ["", "unknown", "evil.example", "1.2.3", "256.1.1.1", "1.2.3.4:x", "[::1", "::ffff:1.2.3.4.5", "' or 1=1"]) expect(normalizeAddress(bad)).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("reads addresses and CIDR ranges of both families", () => {
    const t = parseTrustedProxies(" 127.0.0.1, 10.0.0.0/8 ,fd00::/8,::1,");
    expect(t).toHaveLength(4);
    expect(isTrustedProxy("127.0.0.1", t)).toBe(true);
    expect(isTrustedProxy("::ffff:127.0.0.1", t)).toBe(true);
    expect(isTrustedProxy("127.0.0.2", t)).toBe(false);
    expect(isTrustedProxy("10.200.3.4", t)).toBe(true);
    expect(isTrustedProxy("11.0.0.1", t)).toBe(false);
    expect(isTrustedProxy("fd12:3456::9", t)).toBe(true);
    expect(isTrustedProxy("fe80::1", t)).toBe(false);
    expect(isTrustedProxy("::1", t)).toBe(true);
    expect(isTrustedProxy("::2", t)).toBe(false);
  });

  it("matches prefixes that end inside a byte, and an IPv4-mapped range as IPv4", () => {
    const t = parseTrustedProxies("172.16.0.0/12,::ffff:192.168.0.0/112");
    expect(isTrustedProxy("172.31.255.255", t)).toBe(true);
    expect(isTrustedProxy("172.32.0.1", t)).toBe(false);
    expect(isTrustedProxy("192.168.7.7", t)).toBe(true);
    expect(isTrustedProxy("192.169.0.1", t)).toBe(false);
  });

  it("is empty when unset and refuses a bad entry by name", () => {
    expect(parseTrustedProxies(undefined)).toEqual([]);
    expect(parseTrustedProxies("  ")).toEqual([]);
    for (const bad of ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8x", "*"])
      expect(() => parseTrustedProxies(`127.0.0.1,${bad}`)).toThrow(new RegExp(`'${bad.replace(/[*]/g, "\\*")}'`));
  });
});

describe("clientAddress", () => {
  const none = parseTrustedProxies("");
  const local = parseTrustedProxies("127.0.0.1,10.0.0.0/8,2001:db8:ffff::/48");

  it("is the socket's peer when no proxy is trusted, whatever the headers say", () => {
    expect(clientAddress("::ffff:192.0.2.9", "198.51.100.1", none)).toBe("192.0.2.9");
    expect(clientAddress("192.0.2.9", ["198.51.100.1", "198.51.100.2"], none)).toBe("192.0.2.9");
    expect(clientAddress("2001:db8::9", undefined, none)).toBe("2001:db8::9");
    expect(clientAddress(undefined, "198.51.100.1", none)).toBe("unknown");
  });

  it("is the socket's peer when that peer is not a trusted proxy (a forged chain)", () => {
    expect(clientAddress("192.0.2.9", "10.0.0.1", local)).toBe("192.0.2.9");
    expect(clientAddress("::ffff:192.0.2.9", "127.0.0.1, 10.0.0.1", local)).toBe("192.0.2.9");
  });

  it("walks the chain from the right past trusted proxies only", () => {
    // The client forged "1.1.1.1"; the edge proxy 10.0.0.5 appended the real peer 203.0.113.50.
    expect(clientAddress("::ffff:127.0.0.1", "1.1.1.1, 203.0.113.50, 10.0.0.5", local)).toBe("203.0.113.50");
    expect(clientAddress("127.0.0.1", ["1.1.1.1, 203.0.113.50", "10.0.0.5"], local)).toBe("203.0.113.50");
    expect(clientAddress("127.0.0.1", "198.51.100.7", local)).toBe("198.51.100.7");
    expect(clientAddress("2001:db8:ffff::1", "2001:db8:1::77", local)).toBe("2001:db8:1::77");
    expect(clientAddress("127.0.0.1", "[2001:db8:1::77]:4711", local)).toBe("2001:db8:1::77");
  });

  it("stops at a hop that is no address, and falls back to the peer without a header", () => {
    expect(clientAddress("127.0.0.1", "198.51.100.7, garbage", local)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "garbage, 10.0.0.5", local)).toBe("10.0.0.5");
    expect(clientAddress("127.0.0.1", undefined, local)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", " , ", local)).toBe("127.0.0.1");
  });

  it("names the farthest proxy when every hop is trusted", () => {
    expect(clientAddress("127.0.0.1", "10.1.1.1, 10.2.2.2", local)).toBe("10.1.1.1");
  });
});
