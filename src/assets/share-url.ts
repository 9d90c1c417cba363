import type { Deps } from "../deps.js";
import { canonicalShareUrl } from "../sharing/share-links.js";

/**
 * The URL the PDF's QR code points to: the recap's canonical share page (its first share link,
 * `?v=` its current version), or null while the recap has no link yet — the QR code is then left
 * out rather than pointing somewhere that does not exist. Creating the first link re-renders.
 */
export function shareUrlFor(
  deps: Pick<Deps, "db" | "config">,
  recap: { id: string; tenantId: string; version: number },
): Promise<string | null> {
  return canonicalShareUrl(deps.db, deps.config, recap);
}
