import { isIP } from "node:net";

/**
 * Which webhook targets are acceptable. `allowInsecure` permits http:// URLs; `allowPrivate`
 * permits loopback and private-network addresses and names (local development; never in
 * production); `allowedPorts` the URL's port (80 and 443 by default). `allowedAddresses` lists
 * exact IP addresses exempt from the address and port checks (tests only: it is not read from
 * the environment; a test's receiver listens on a random port).
 */
export type TargetPolicy = {
  allowInsecure: boolean;
  allowPrivate: boolean;
  allowedPorts: readonly number[] | "any";
  allowedAddresses: readonly string[];
};

type Range = { base: bigint; prefix: number; label: string };

const v4 = (text: string) => text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);

function range(cidr: string, label: string, bits: 32 | 128): Range {
  const [address = "", prefix = ""] = cidr.split("/");
  return { base: bits === 32 ? v4(address) : parseIpv6(address), prefix: Number(prefix), label };
}

const inRange = (value: bigint, { base, prefix }: Range, bits: number) => {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
};

const LOOPBACK = "a loopback address";
const PRIVATE = "a private address";
const CGNAT = "a carrier-grade NAT address";
const LINK_LOCAL = "a link-local address";
const UNIQUE_LOCAL = "a unique local (private) address";
const SITE_LOCAL = "a site-local address";
/**
 * What `allowPrivate` lets through: this machine and the networks around it. Cloud metadata
 * services (matched before link-local), multicast, reserved and unspecified addresses stay refused.
 */
const LOCAL_NETWORK_REASONS = new Set([LOOPBACK, PRIVATE, CGNAT, LINK_LOCAL, UNIQUE_LOCAL, SITE_LOCAL]);

/** IPv4 blocks that are not the public internet (RFC 6890 and friends). */
const BLOCKED_V4: Range[] = [
  ["0.0.0.0/8", "an unspecified (this-network) address"],
  ["10.0.0.0/8", PRIVATE],
  ["100.64.0.0/10", CGNAT],
  ["127.0.0.0/8", LOOPBACK],
  ["169.254.169.254/32", "a cloud metadata address"],
  ["169.254.0.0/16", LINK_LOCAL],
  ["172.16.0.0/12", PRIVATE],
  ["192.0.0.0/24", "an IETF protocol address"],
  ["192.0.2.0/24", "a documentation address"],
  ["192.88.99.0/24", "a 6to4 relay address"],
  ["192.168.0.0/16", PRIVATE],
  ["198.18.0.0/15", "a benchmarking address"],
  ["198.51.100.0/24", "a documentation address"],
  ["203.0.113.0/24", "a documentation address"],
  ["224.0.0.0/4", "a multicast address"],
  ["240.0.0.0/4", "a reserved or broadcast address"],
].map(([cidr, label]) => range(cidr as string, label as string, 32));

/** IPv6 blocks named for clearer messages; everything outside 2000::/3 is refused anyway. */
const NAMED_V6: Range[] = [
  ["::/128", "an unspecified address"],
  ["::1/128", LOOPBACK],
  ["fd00:ec2::254/128", "a cloud metadata address"],
  ["fc00::/7", UNIQUE_LOCAL],
  ["fe80::/10", LINK_LOCAL],
  ["fec0::/10", SITE_LOCAL],
  ["ff00::/8", "a multicast address"],
  ["100::/64", "a discard-only address"],
  ["64:ff9b:1::/48", "a local-use NAT64 address"],
  ["2001:db8::/32", "a documentation address"],
  ["3fff::/20", "a documentation address"],
  ["2001::/23", "an IETF protocol (Teredo and others) address"],
].map(([cidr, label]) => range(cidr as string, label as string, 128));

const GLOBAL_UNICAST_V6 = range("2000::/3", "", 128);
/** IPv6 forms that carry an IPv4 address, judged by that address. */
const EMBEDDED_V4: { range: Range; extract: (value: bigint) => bigint }[] = [
  { range: range("::ffff:0:0/96", "", 128), extract: (value) => value & 0xffffffffn },
  { range: range("64:ff9b::/96", "", 128), extract: (value) => value & 0xffffffffn },
  { range: range("2002::/16", "", 128), extract: (value) => (value >> 80n) & 0xffffffffn },
];

/** An IPv6 address (no zone) as a 128-bit number; throws on anything else. */
export function parseIpv6(text: string): bigint {
  let address = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1]) {
    const value = v4(dotted[1]);
    address = `${address.slice(0, dotted.index)}${((value >> 16n) & 0xffffn).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) throw new Error(`not an IPv6 address: ${text}`);
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function ipv4Reason(value: bigint): string | null {
  return BLOCKED_V4.find((candidate) => inRange(value, candidate, 32))?.label ?? null;
}

/** Why `address` (an IP literal) must not be a webhook target, or null when it is a public address. */
export function blockedAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return ipv4Reason(v4(bare));
  if (family !== 6) return "not an IP address";
  const value = parseIpv6(bare);
  for (const embedded of EMBEDDED_V4) {
    if (inRange(value, embedded.range, 128)) {
      const reason = ipv4Reason(embedded.extract(value));
      return reason ? `${reason} (IPv4 inside IPv6)` : null;
    }
  }
  const named = NAMED_V6.find((candidate) => inRange(value, candidate, 128));
  if (named) return named.label;
  if (!inRange(value, GLOBAL_UNICAST_V6, 128)) return "not a global unicast address";
  // The IPv4-compatible form ::a.b.c.d (deprecated) lies outside 2000::/3, so it was refused above.
  return null;
}

/** The canonical text of an IP literal, so allow-list entries match however they are written. */
function canonical(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return `4:${v4(bare)}`;
  if (family === 6) return `6:${parseIpv6(bare)}`;
  return bare.toLowerCase();
}

function isExempt(address: string, policy: TargetPolicy): boolean {
  const key = canonical(address);
  return policy.allowedAddresses.some((allowed) => canonical(allowed) === key);
}

/** Like blockedAddressReason, but honouring the policy's exemptions and `allowPrivate`. */
export function refusedAddressReason(address: string, policy: TargetPolicy): string | null {
  if (isExempt(address, policy)) return null;
  const reason = blockedAddressReason(address);
  if (reason && policy.allowPrivate && LOCAL_NETWORK_REASONS.has(reason.replace(/ \(IPv4 inside IPv6\)$/, ""))) {
    return null;
  }
  return reason;
}

/** Names that can only mean the local machine or a private network. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/;
export const MAX_URL_LENGTH = 2000;

export type UrlCheck = { ok: true; url: URL; host: string } | { ok: false; message: string };

/**
 * What can be decided without DNS: the scheme, credentials, and hosts that are private by their
 * name or literal address. Run at registration and again before every delivery.
 */
export function checkTargetUrl(raw: string, policy: TargetPolicy): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: "must be an absolute URL" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowInsecure)) {
    return { ok: false, message: policy.allowInsecure ? "must be an http(s) URL" : "must be an https:// URL" };
  }
  if (url.username || url.password) return { ok: false, message: "must not contain a user name or password" };
  if (url.hash) return { ok: false, message: "must not have a fragment (#...)" };
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (!host) return { ok: false, message: "must name a host" };
  if (isIP(host)) {
    const reason = refusedAddressReason(host, policy);
    if (reason) return { ok: false, message: `must not point to ${reason} (${host})` };
  } else if (!policy.allowPrivate && (!host.includes(".") || LOCAL_NAMES.test(host))) {
    // With allowPrivate, names such as localhost are resolved and their addresses judged instead.
    return { ok: false, message: `must use a public host name, not ${host}` };
  }
  // A URL on an unusual port reaches services that are not web servers (mail, databases, admin
  // consoles) even on a public host; exempt test addresses listen on random ports.
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const ports = policy.allowedPorts;
  if (ports !== "any" && !ports.includes(port) && !(isIP(host) && isExempt(host, policy))) {
    return {
      ok: false,
      message: `must use port ${ports.join(" or ")}, not ${port} (WEBHOOKS_ALLOWED_PORTS lists the ports allowed)`,
    };
  }
  return { ok: true, url, host };
}
