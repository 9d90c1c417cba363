import type { Config } from "../config.js";
import type { Deps } from "../deps.js";
import type { DbExecutor } from "../platform/db/client.js";

/**
 * How assets/ learns a recap's canonical share URL without importing sharing/ (which shows the
 * assets, so it sits above): sharing/share-links.ts's canonicalShareUrl, wired in by src/deps.ts.
 */
export type ShareUrlLookup = (
  db: DbExecutor,
  config: Pick<Config, "publicBaseUrl">,
  recap: { id: string; tenantId: string; version: number },
) => Promise<string | null>;

/**
 * The URL the PDF's QR code points to: the recap's canonical share page (its first share link,
 * `?v=` its current version), or null while the recap has no link yet — the QR code is then left
 * out rather than pointing somewhere that does not exist. Creating the first link re-renders.
 */
export function shareUrlFor(
  deps: Pick<Deps, "db" | "config" | "shareUrlOf">,
  recap: { id: string; tenantId: string; version: number },
): Promise<string | null> {
  return deps.shareUrlOf(deps.db, deps.config, recap);
}
