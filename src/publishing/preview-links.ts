import { and, eq, gt } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { randomToken, sha256 } from "../platform/auth/hashing.js";
import type { DbExecutor } from "../platform/db/client.js";
import { conflict } from "../platform/errors.js";
import { getRecap } from "../recaps/recaps.js";
import { recaps } from "../recaps/recaps.schema.js";
import { previewTokens } from "./publishing.schema.js";

export const DEFAULT_PREVIEW_HOURS = 7 * 24;
export const MAX_PREVIEW_HOURS = 30 * 24;

/** 32 random bytes, base64url: 43 characters. Anything else is not a token this service gave out. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Only recaps a reviewer approved can be shown to the end customer. */
const PREVIEWABLE = new Set(["approved", "published"]);

/**
 * A private link for the end customer: the token is the credential, so only its SHA-256 is
 * stored (a leaked database cannot be turned into links), and it expires.
 */
export async function createPreviewLink(
  deps: Pick<Deps, "db" | "clock" | "config">,
  input: { tenantId: string; recapId: string; expiresInHours?: number | undefined },
  /** The request's public base URL (platform/http/public-base-url.ts); a job leaves it to the configured one. */
  base: string = deps.config.publicBaseUrl,
) {
  const recap = await getRecap(deps.db, input.tenantId, input.recapId);
  if (!PREVIEWABLE.has(recap.state)) {
    throw conflict(
      `Only an approved or published recap can be previewed by the customer; this one is ${recap.state}.`,
      {
        state: recap.state,
      },
    );
  }
  const token = randomToken(32);
  const hours = Math.min(input.expiresInHours ?? DEFAULT_PREVIEW_HOURS, MAX_PREVIEW_HOURS);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await deps.db.insert(previewTokens).values({
    tokenHash: sha256(token),
    tenantId: recap.tenantId,
    recapId: recap.id,
    expiresAt,
    createdAt: now,
  });
  return { token, url: `${base.replace(/\/$/, "")}/p/${token}`, expiresAt };
}

export type PreviewLink = { tenantId: string; recapId: string; expiresAt: Date };

/** The live link a token opens, or null when it is malformed, unknown or expired. */
export async function findPreviewLink(db: DbExecutor, token: string, now: Date): Promise<PreviewLink | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({ tenantId: previewTokens.tenantId, recapId: previewTokens.recapId, expiresAt: previewTokens.expiresAt })
    .from(previewTokens)
    .where(and(eq(previewTokens.tokenHash, sha256(token)), gt(previewTokens.expiresAt, now)));
  return row ?? null;
}

/**
 * The language of the recap a well-formed token was made for, expired or not: the "not valid any
 * more" page speaks it. Whoever holds the token learns nothing new from it.
 */
export async function previewLinkLocale(db: DbExecutor, token: string): Promise<string | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select({ locale: recaps.locale })
    .from(previewTokens)
    .innerJoin(recaps, eq(recaps.id, previewTokens.recapId))
    .where(eq(previewTokens.tokenHash, sha256(token)));
  return row?.locale ?? null;
}
