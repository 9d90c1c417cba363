import { and, eq, inArray } from "drizzle-orm";
import type { DbExecutor } from "../platform/db/client.js";
import { rowCount } from "../platform/db/row-count.js";
import { linkClickAddressTallies, linkClicks, shareLinks } from "./sharing.schema.js";

/**
 * Detaches the recaps' share links and returns their codes. The rows stay, without a recap: a
 * code that once worked then answers 410 Gone (not 404), and conversions that came through it
 * keep their `ref`.
 */
export async function detachShareLinks(tx: DbExecutor, tenantId: string, recapIds: string[]): Promise<string[]> {
  if (recapIds.length === 0) return [];
  const rows = await tx
    .update(shareLinks)
    .set({ recapId: null })
    .where(and(eq(shareLinks.tenantId, tenantId), inArray(shareLinks.recapId, recapIds)))
    .returning({ code: shareLinks.code });
  return rows.map((row) => row.code);
}

/**
 * Keeps the links' clicks as bare counts: the visitor hash (a daily-salted SHA-256 of IP and user
 * agent), referrer host and country go, and so does the recap. Time, bot flag, method and the
 * counted flag stay; they describe no one. The links' per-address tallies (hashed addresses) go.
 */
export async function anonymizeClicks(tx: DbExecutor, tenantId: string, codes: string[]): Promise<number> {
  if (codes.length === 0) return 0;
  await tx
    .delete(linkClickAddressTallies)
    .where(and(eq(linkClickAddressTallies.tenantId, tenantId), inArray(linkClickAddressTallies.code, codes)));
  const result = await tx
    .update(linkClicks)
    .set({ visitorHash: null, referrerHost: null, country: null, recapId: null })
    .where(and(eq(linkClicks.tenantId, tenantId), inArray(linkClicks.code, codes)));
  return rowCount(result);
}
