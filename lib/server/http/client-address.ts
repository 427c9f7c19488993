// The client's address as the server vouches for it. Forwarding headers (X-Forwarded-For) are
// written by whoever sends the request, so they are believed only when the socket's peer is a
// configured proxy (TRUSTED_PROXIES), and then only up to the first hop that is not one:
// walking the chain from the right, each trusted proxy vouches for the address on its left.
import { isIP } from "node:net";

/**
 * The request header the app reads the client address from (better-auth's rate limits and
 * session records). The server (app-server.ts) sets it on every request and discards a
 * client-sent one.
 */
export const CLIENT_IP_HEADER = "x-cuaderno-client-ip";

export interface Cidr {
  /** 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
  bytes: Uint8Array;
  prefix: number;
}

/** The networks whose forwarding headers are believed; empty when none are configured. */
export type TrustedProxies = readonly Cidr[];

/** The 16 bytes of an IPv6 address that isIP() accepted (zone already removed). */
function ipv6Bytes(a: string): Uint8Array {
  const halves = a.split("::");
  const groups = (s: string) => {
    if (!s) return [];
    const g = s.split(":");
    const last = g[g.length - 1];
    if (!last.includes(".")) return g;
    // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is the last two groups.
    const [b0, b1, b2, b3] = last.split(".").map(Number);
    return [...g.slice(0, -1), ((b0 << 8) | b1).toString(16), ((b2 << 8) | b3).toString(16)];
  };
  const left = groups(halves[0]);
  const right = halves.length > 1 ? groups(halves[1]) : [];
  const all = halves.length > 1 ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const v = parseInt(all[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  }
  return out;
}

const isMapped = (b: Uint8Array) => b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** Address text without brackets, port or zone; null when it is no IP address. */
function bare(text: string): string | null {
  let a = text.trim();
  if (a.startsWith("[")) {
    const end = a.indexOf("]");
    if (end < 0 || (end + 1 < a.length && !/^:\d{1,5}$/.test(a.slice(end + 1)))) return null;
    a = a.slice(1, end);
  } else {
    const colon = a.indexOf(":");
    if (colon > 0 && colon === a.lastIndexOf(":") && /^:\d{1,5}$/.test(a.slice(colon))) a = a.slice(0, colon); // v4:port
  }
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  return isIP(a) ? a : null;
}

function parse(text: string): { text: string; bytes: Uint8Array } | null {
  const a = bare(text);
  if (a === null) return null;
  if (isIP(a) === 4) return { text: a, bytes: Uint8Array.from(a.split(".").map(Number)) };
  const bytes = ipv6Bytes(a);
  if (isMapped(bytes)) {
    const v4 = bytes.slice(12);
    return { text: v4.join("."), bytes: v4 };
  }
  return { text: a.toLowerCase(), bytes };
}

/**
 * An address in the form the app keys on: IPv4 dotted (IPv4-mapped IPv6 unwrapped), IPv6 in
 * lowercase; brackets, a port (`[v6]:port`, `v4:port`, as some proxies write) and a zone are
 * dropped. null when the text is not an IP address.
 */
export function normalizeAddress(text: string): string | null {
  return parse(text)?.text ?? null;
}

/** Parses `TRUSTED_PROXIES`: a comma list of addresses and CIDR ranges; throws naming a bad entry. */
export function parseTrustedProxies(list: string | undefined): TrustedProxies {
  const out: Cidr[] = [];
  for (const raw of (list ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const slash = entry.indexOf("/");
    const addr = slash < 0 ? entry : entry.slice(0, slash);
    const ip = parse(addr);
    const bits = ip ? ip.bytes.length * 8 : 0;
    let prefix = slash < 0 ? bits : /^\d{1,3}$/.test(entry.slice(slash + 1)) ? Number(entry.slice(slash + 1)) : -1;
    // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range it names.
    if (ip && slash >= 0 && bits === 32 && addr.includes(":")) prefix -= 96;
    if (!ip || prefix < 0 || prefix > bits)
      throw new Error(`TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, fd00::/8)`);
    out.push({ bytes: ip.bytes, prefix });
  }
  return out;
}

function inRange(bytes: Uint8Array, net: Cidr): boolean {
  if (bytes.length !== net.bytes.length) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (net.bytes[i] & mask)) return false;
  }
  return true;
}

export function isTrustedProxy(address: string, trusted: TrustedProxies): boolean {
  if (!trusted.length) return false;
  const ip = parse(address);
  return ip !== null && trusted.some((net) => inRange(ip.bytes, net));
}

/**
 * The client's address: the socket's peer, unless the peer is a trusted proxy; then the
 * X-Forwarded-For chain is walked from the right past every trusted proxy, and the first
 * address that is not one is the client. An entry that is not an address ends the walk at the
 * hop that sent it, the nearest party that can be named. "unknown" only for a socket without
 * an address (already closed).
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = (remoteAddress && normalizeAddress(remoteAddress)) || "unknown";
  if (!trusted.length || !forwardedFor || !isTrustedProxy(client, trusted)) return client;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",");
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!chain[i].trim()) continue;
    const hop = normalizeAddress(chain[i]);
    if (hop === null) return client;
    client = hop;
    if (!isTrustedProxy(hop, trusted)) return hop;
  }
  return client;
}
