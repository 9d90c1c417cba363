/**
 * Public content that its owner can take down: shared caches (CDNs, proxies) and browsers may keep
 * it but must ask again before every reuse, so a take-down holds at once wherever the headers are
 * obeyed. The ETag makes the repeat question cheap: an unchanged answer is a 304 without a body.
 */
export const PUBLIC_REVALIDATE = "public, max-age=0, s-maxage=0, must-revalidate";

/** Answers that must not be kept anywhere: taken-down pages and their assets, private pages. */
export const NO_STORE = "no-store";

/** Whether an If-None-Match header names this entity tag (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}
