import { and, asc, eq } from "drizzle-orm";
import type { Config } from "../config.js";
import type { DbExecutor } from "../platform/db/client.js";
import { tenants } from "../platform/tenancy/tenancy.schema.js";
import type { RecapState } from "../recaps/recaps.schema.js";
import { recaps } from "../recaps/recaps.schema.js";
import { newShareCode } from "./share-code.js";
import { type ShareChannel, shareLinks } from "./sharing.schema.js";

export type ShareLink = typeof shareLinks.$inferSelect;

/**
 * The share page's URL; `v` changes with each revision so LinkedIn's cache shows the current card.
 * `base` is the public base URL: the request's (platform/http/public-base-url.ts) or, in a job, the configured one.
 */
export function shareUrl(base: string, code: string, recapVersion: number): string {
  return `${base.replace(/\/$/, "")}/s/${code}?v=${recapVersion}`;
}

/** The tracked redirect's path: pages link to it relatively, the API prefixes a base. */
export function redirectPath(code: string): string {
  return `/r/${code}`;
}

export function redirectUrl(base: string, code: string): string {
  return `${base.replace(/\/$/, "")}${redirectPath(code)}`;
}

export async function createShareLink(
  db: DbExecutor,
  /** `createdAt` defaults to the database's now; the demo seed dates its links in the past. */
  input: { tenantId: string; recapId: string; channel: ShareChannel; recapVersion: number; createdAt?: Date },
): Promise<ShareLink> {
  const [row] = await db
    .insert(shareLinks)
    .values({ code: newShareCode(), ...input })
    .returning();
  if (!row) throw new Error("inserting a share link returned no row");
  return row;
}

export async function listShareLinks(db: DbExecutor, tenantId: string, recapId: string): Promise<ShareLink[]> {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.tenantId, tenantId), eq(shareLinks.recapId, recapId)))
    .orderBy(asc(shareLinks.createdAt), asc(shareLinks.code));
}

/** The recap's canonical share URL: its first link's share page, at the recap's current version. */
export async function canonicalShareUrl(
  db: DbExecutor,
  config: Pick<Config, "publicBaseUrl">,
  recap: { id: string; tenantId: string; version: number },
): Promise<string | null> {
  const [first] = await db
    .select({ code: shareLinks.code })
    .from(shareLinks)
    .where(and(eq(shareLinks.tenantId, recap.tenantId), eq(shareLinks.recapId, recap.id)))
    .orderBy(asc(shareLinks.createdAt), asc(shareLinks.code))
    .limit(1);
  return first ? shareUrl(config.publicBaseUrl, first.code, recap.version) : null;
}

/** What `/s/:code` and `/r/:code` need to know about a code, in one indexed query. */
export type LinkTarget = {
  code: string;
  channel: ShareChannel;
  tenantId: string;
  /** Null once the recap was erased. */
  recapId: string | null;
  state: RecapState | null;
  variant: string | null;
  signupUrl: string | null;
};

export async function findLinkTarget(db: DbExecutor, code: string): Promise<LinkTarget | null> {
  const [row] = await db
    .select({
      code: shareLinks.code,
      channel: shareLinks.channel,
      tenantId: shareLinks.tenantId,
      recapId: shareLinks.recapId,
      state: recaps.state,
      variant: recaps.variant,
      signupUrl: tenants.signupUrl,
    })
    .from(shareLinks)
    .innerJoin(tenants, eq(tenants.id, shareLinks.tenantId))
    .leftJoin(recaps, eq(recaps.id, shareLinks.recapId))
    .where(eq(shareLinks.code, code));
  return row ?? null;
}

/**
 * The tenant's signup URL with the loop's tracking parameters; the signup URL's own query
 * parameters are kept (ours win on a clash, so attribution cannot be spoofed by the base URL).
 * A path (only the demo tenant's, `/demo/signup`: the API accepts absolute URLs only) stays a
 * path, which the browser resolves against the redirect's own origin: localhost, 127.0.0.1 or a
 * real domain alike.
 */
export function signupLocation(
  signupUrl: string,
  link: { code: string; channel: ShareChannel; variant: string | null },
): string {
  const relative = signupUrl.startsWith("/") && !signupUrl.startsWith("//");
  const url = new URL(signupUrl, relative ? "http://same-origin.invalid" : undefined);
  url.searchParams.set("ref", link.code);
  url.searchParams.set("utm_source", link.channel);
  url.searchParams.set("utm_medium", link.channel === "email" ? "email" : "social");
  url.searchParams.set("utm_campaign", "outcome-recap");
  if (link.variant) url.searchParams.set("utm_content", link.variant);
  return relative ? `${url.pathname}${url.search}` : url.toString();
}
