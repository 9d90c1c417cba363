import type { Context } from "hono";
import type { Config } from "../config.js";
import { clientAddress } from "../platform/http/client-address.js";
import { boundedMemo, classifyRequest } from "./bot-detection.js";
import type { ClickEvent } from "./click-buffer.js";
import type { LinkTarget } from "./share-links.js";

function hostOf(referer: string): string | null {
  try {
    const host = new URL(referer).hostname.toLowerCase();
    return host ? host.slice(0, 255) : null;
  } catch {
    return null;
  }
}

/**
 * Browsers send only the origin to another site (strict-origin-when-cross-origin), so a few
 * referrers make most clicks: their hosts are remembered rather than parsed again.
 */
const hostOfOrigin = boundedMemo(hostOf, 1024);
/** `https://www.linkedin.com/`: a bare origin, which says nothing about the visitor and may be kept. */
const BARE_ORIGIN = /^https?:\/\/[^/?#@]{1,100}\/?$/i;

/** The host of the Referer header only (never its path or query, which may carry personal data). */
export function referrerHost(referer: string | undefined): string | null {
  if (!referer) return null;
  // Only bare origins are remembered: a path or query must not outlive the request in memory.
  return BARE_ORIGIN.test(referer) ? hostOfOrigin(referer) : hostOf(referer);
}

/** ISO 3166 alpha-2 from the trusted proxy's header (Cloudflare's XX/T1 pass as they are). */
function country(c: Context, header: string | undefined): string | null {
  if (!header) return null;
  const value = c.req.header(header)?.trim().toUpperCase();
  return value && /^[A-Z0-9]{2}$/.test(value) ? value : null;
}

function clientIp(c: Context, header: string | undefined): string {
  if (header) {
    const forwarded = c.req.header(header)?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return clientAddress(c) ?? "";
}

/** Everything a click row needs from the request, read before the response is sent. */
export function clickFrom(
  c: Context,
  config: Pick<Config, "sharing">,
  link: Pick<LinkTarget, "code" | "tenantId" | "recapId">,
  at: Date,
  options: { shareStarted?: boolean } = {},
): ClickEvent {
  const userAgent = (c.req.header("user-agent") ?? "").slice(0, 512);
  const method = c.req.method;
  const verdict = classifyRequest({ method, userAgent });
  return {
    code: link.code,
    tenantId: link.tenantId,
    recapId: link.recapId,
    at,
    method,
    ip: clientIp(c, config.sharing.clientIpHeader),
    userAgent,
    optOut: c.req.header("sec-gpc")?.trim() === "1" || c.req.header("dnt")?.trim() === "1",
    referrerHost: referrerHost(c.req.header("referer")),
    country: country(c, config.sharing.countryHeader),
    isBot: verdict.isBot,
    botReason: verdict.reason,
    shareStarted: (options.shareStarted ?? false) && verdict.previewFetcher === "linkedin",
  };
}
