import { sql } from "drizzle-orm";
import { RECAP_RENDER_JOB } from "../assets/render.job.js";
import type { Deps } from "../deps.js";
import type { DbExecutor } from "../platform/db/client.js";
import { conflict } from "../platform/errors.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import type { RecapWithAccount } from "../recaps/recaps.js";
import { createShareLink, listShareLinks, type ShareLink } from "./share-links.js";
import type { ShareChannel } from "./sharing.schema.js";

type SharedRecap = Pick<RecapWithAccount, "id" | "tenantId" | "state" | "version">;

/** Why a recap cannot get share links: it is not published, or its tenant has nowhere for them to lead. */
async function refuseUnshareable(deps: Pick<Deps, "db">, recap: SharedRecap): Promise<void> {
  if (recap.state !== "published") {
    throw conflict(`Only published recaps can be shared; this one is ${recap.state}.`, { state: recap.state });
  }
  const tenant = await getTenant(deps.db, recap.tenantId);
  if (!tenant.signupUrl) {
    throw conflict("The tenant has no signup URL for share links to lead to; set signupUrl first.");
  }
}

/** Until the transaction ends, no other transaction adds links to the recap (so "first" and "missing" stay true). */
async function lockRecapLinks(tx: DbExecutor, recap: SharedRecap): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`share-links:${recap.id}`}, 0))`);
}

/** Makes one link in `tx`; the recap's first link re-renders its PDF, which then carries a QR code to it. */
async function addLink(
  deps: Pick<Deps, "queue">,
  tx: DbExecutor,
  recap: SharedRecap,
  channel: ShareChannel,
  first: boolean,
) {
  const link = await createShareLink(tx, {
    tenantId: recap.tenantId,
    recapId: recap.id,
    channel,
    recapVersion: recap.version,
  });
  if (first) await deps.queue.enqueue(RECAP_RENDER_JOB, { recapId: recap.id, tenantId: recap.tenantId }, { tx });
  return link;
}

/**
 * A new tracked link for a published recap (the links API): one per place it is shared, so clicks
 * and signups can be told apart.
 */
export async function shareRecap(
  deps: Pick<Deps, "db" | "queue">,
  recap: SharedRecap,
  channel: ShareChannel,
): Promise<ShareLink> {
  await refuseUnshareable(deps, recap);
  return deps.db.transaction(async (tx) => {
    await lockRecapLinks(tx, recap);
    const first = (await listShareLinks(tx, recap.tenantId, recap.id)).length === 0;
    return addLink(deps, tx, recap, channel, first);
  });
}

/**
 * The recap's link for each channel, made once: the oldest link of a channel is reused, a missing
 * one is made. A transaction-scoped advisory lock on the recap serialises concurrent calls (two tabs
 * reloading the share hub at once), so each channel still gets exactly one link.
 */
export async function channelLinks(
  deps: Pick<Deps, "db" | "queue">,
  recap: SharedRecap,
  channels: readonly ShareChannel[],
): Promise<Map<ShareChannel, ShareLink>> {
  await refuseUnshareable(deps, recap);
  return deps.db.transaction(async (tx) => {
    await lockRecapLinks(tx, recap);
    const existing = await listShareLinks(tx, recap.tenantId, recap.id);
    const byChannel = new Map<ShareChannel, ShareLink>();
    for (const link of existing) if (!byChannel.has(link.channel)) byChannel.set(link.channel, link);
    let first = existing.length === 0;
    for (const channel of channels) {
      if (byChannel.has(channel)) continue;
      byChannel.set(channel, await addLink(deps, tx, recap, channel, first));
      first = false;
    }
    return byChannel;
  });
}
