import { and, eq } from "drizzle-orm";
import { assetKeysOfRecaps, deleteAssetsIfUnreferenced, sweepRenderCache } from "../assets/erase-assets.js";
import type { Deps } from "../deps.js";
import { detachLlmUsage } from "../drafting/erase-llm-usage.js";
import { forgetAccountUsers } from "../integrations/segment/segment-user-accounts.js";
import { detachConversions } from "../loop/erase-conversions.js";
import { keepRecapTallies } from "../loop/erased-tallies.js";
import { deleteOutboxFiles, outboxFilesOfRecaps } from "../mail/erase-mail.js";
import { deleteAccountFirings } from "../moments/erase-firings.js";
import { deleteIdempotencyRecords } from "../platform/idempotency/erase-idempotency.js";
import { deleteRecaps, lockAccountRecaps } from "../recaps/erase-recaps.js";
import { anonymizeClicks, detachShareLinks } from "../sharing/erase-links.js";
import { deleteAccountUsage } from "../usage/erase-usage.js";
import { accounts } from "../usage/usage.schema.js";
import { deleteWebhookMessages } from "../webhooks/erase-messages.js";

/** What an erasure removed, detached and kept: counts only, nothing about the account. */
export type ErasureSummary = {
  erasedAt: Date;
  events: number;
  recaps: number;
  assets: number;
  links: number;
  clicksAnonymized: number;
  conversionsDetached: number;
  llmCallsDetached: number;
  webhookMessages: number;
  idempotencyRecords: number;
  talliesKept: number;
};

/**
 * Erases one of the tenant's accounts, or returns null when the tenant has none by that id (an
 * account erased before included). Everything of the account goes in one transaction that starts
 * by locking the account row: an event batch or a new recap for it (each takes a key-share lock on
 * the row through its foreign key) either commits first and is erased with the rest, or waits and
 * then fails on the missing account. Nothing is left half erased. See docs/privacy.md.
 */
export async function eraseAccount(
  deps: Pick<Deps, "db" | "clock" | "log" | "config" | "caches">,
  tenantId: string,
  externalId: string,
): Promise<ErasureSummary | null> {
  const erasedAt = deps.clock.now();
  const erased = await deps.db.transaction(async (tx) => {
    const [account] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.tenantId, tenantId), eq(accounts.externalId, externalId)))
      .for("update");
    if (!account) return null;
    // Locked too, so a review action or a drafting job in flight waits and then finds no recap.
    const recapIds = await lockAccountRecaps(tx, tenantId, account.id);

    // The tallies read clicks, conversions and LLM costs by recap: first, before those are detached.
    const talliesKept = await keepRecapTallies(tx, tenantId, recapIds, erasedAt);
    const assetKeys = await assetKeysOfRecaps(tx, recapIds);
    const outboxFiles = await outboxFilesOfRecaps(tx, tenantId, recapIds);
    const codes = await detachShareLinks(tx, tenantId, recapIds);
    const clicksAnonymized = await anonymizeClicks(tx, tenantId, codes);
    const conversionsDetached = await detachConversions(tx, tenantId, recapIds);
    const llmCallsDetached = await detachLlmUsage(tx, tenantId, recapIds);
    const webhookMessages = await deleteWebhookMessages(tx, tenantId, account.id, recapIds);
    const idempotencyRecords = await deleteIdempotencyRecords(tx, tenantId, [
      account.id,
      ...recapIds,
      JSON.stringify(externalId),
    ]);
    const events = await deleteAccountUsage(tx, tenantId, account.id);
    await deleteAccountFirings(tx, tenantId, account.id);
    // Cascades to the audit trail, preview tokens, recap_assets and loop-completion markers.
    await deleteRecaps(tx, recapIds);
    const assets = await deleteAssetsIfUnreferenced(tx, tenantId, assetKeys);
    await tx.delete(accounts).where(eq(accounts.id, account.id));
    // Which Segment users belonged to the account: their user ids are the tenant's, about this account.
    await forgetAccountUsers(tx, tenantId, externalId);
    return {
      codes,
      assetKeys,
      outboxFiles,
      summary: {
        erasedAt,
        events,
        recaps: recapIds.length,
        assets,
        links: codes.length,
        clicksAnonymized,
        conversionsDetached,
        llmCallsDetached,
        webhookMessages,
        idempotencyRecords,
        talliesKept,
      },
    };
  });
  if (!erased) return null;

  // This instance's redirect answers 410 at once; other instances within their cache TTL.
  deps.caches.forget(erased.codes);
  // And no longer keeps the erased recaps' card bytes in memory.
  deps.caches.forget(erased.assetKeys);
  // The e-mails kept in the outbox name the contact: they go with the account.
  await deleteOutboxFiles(deps.config.dataDir, tenantId, erased.outboxFiles).catch((error: unknown) =>
    deps.log.warn({ err: error, tenantId }, "deleting an erased account's outbox e-mails failed"),
  );
  // After the commit and in short batches: the previews of the erased recaps are in here too.
  // The erasure is committed by now: a failed sweep is logged, and the next erasure sweeps again.
  const renderCache = await sweepRenderCache(deps.db, tenantId).catch((error: unknown) => {
    deps.log.warn({ err: error, tenantId }, "sweeping the render cache after an erasure failed");
    return 0;
  });
  const summary = { ...erased.summary, assets: erased.summary.assets + renderCache };
  // The audit trace: tenant and counts only, no account id or external id.
  const { erasedAt: _at, ...counts } = summary;
  deps.log.info({ audit: "account.erased", tenantId, ...counts }, "account erased");
  return summary;
}
