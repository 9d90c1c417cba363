import type { Context } from "hono";
import type { Config } from "../../config.js";

export type PublicBaseUrlConfig = Pick<Config, "publicBaseUrl" | "publicBaseUrlConfigured" | "trustForwardedOrigin">;

/**
 * The base for the absolute URLs a response must carry (Open Graph tags, share and preview links,
 * the OpenAPI `servers` entry): PUBLIC_BASE_URL when it is configured, otherwise the origin the
 * request came to, so a service opened as http://127.0.0.1:3000 does not hand out localhost URLs
 * the browser (and its content security policy) treats as another site.
 * X-Forwarded-Proto/Host are read only when a trusted proxy sets them (TRUSTED_PROXY_FORWARDED_ORIGIN):
 * anyone can send them otherwise.
 */
export function publicBaseUrl(c: Context, config: PublicBaseUrlConfig): string {
  if (config.publicBaseUrlConfigured) return config.publicBaseUrl.replace(/\/$/, "");
  if (config.trustForwardedOrigin) {
    const forwarded = forwardedOrigin(c.req.header("x-forwarded-proto"), c.req.header("x-forwarded-host"));
    if (forwarded) return forwarded;
  }
  // The Node adapter builds the request URL from the Host header (and rejects a malformed one).
  return new URL(c.req.url).origin;
}

/** The origin a proxy names, or null when it names none (or something that is not a bare host). */
function forwardedOrigin(proto: string | undefined, host: string | undefined): string | null {
  const scheme = firstValue(proto)?.toLowerCase();
  const name = firstValue(host);
  if (!name || (scheme !== "http" && scheme !== "https")) return null;
  if (!URL.canParse(`${scheme}://${name}`)) return null;
  const url = new URL(`${scheme}://${name}`);
  // A bare host[:port] only: a path, credentials or query smuggled into the header is refused.
  if (url.host !== name.toLowerCase() || url.username || url.password) return null;
  return url.origin;
}

/** A proxy chain appends: the first value is what the outermost proxy saw. */
function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}
