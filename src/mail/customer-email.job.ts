import { and, eq } from "drizzle-orm";
import type postgres from "postgres";
import { tenantAssetBytes } from "../assets/asset-queries.js";
import { ensureAsset } from "../assets/render-assets.js";
import { renderInputFor } from "../assets/render-input.js";
import { shareUrlFor } from "../assets/share-url.js";
import type { Deps } from "../deps.js";
import { formatPeriodInTitle, recapPeriod } from "../i18n/format.js";
import type { DbExecutor } from "../platform/db/client.js";
import { isAppError } from "../platform/errors.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant, type Tenant } from "../platform/tenancy/tenants.js";
import { createPreviewLink } from "../publishing/preview-links.js";
import { changedState, type RecapReaction } from "../recaps/recap-reactions.js";
import { getRecap, type RecapWithAccount } from "../recaps/recaps.js";
import { accounts } from "../usage/usage.schema.js";
import { customerEmails } from "./mail.schema.js";
import { createMailSender, type MailSender } from "./mail-transport.js";
import { composeRecapEmail } from "./recap-email.js";

export const CUSTOMER_EMAIL_JOB = "recap.customer_email";

/** `version` is the recap version the approval produced: one e-mail per approval. */
export type CustomerEmailData = { tenantId: string; recapId: string; version: number };

type JobDeps = Pick<Deps, "db" | "clock" | "config" | "renderer" | "metrics" | "log" | "shareUrlOf">;

/** The customer may only be sent to a recap they can open. */
const PREVIEWABLE = new Set(["approved", "published"]);

/**
 * Called by the approval inside its transaction: the e-mail exists only if the approval commits.
 * Whether anyone hears about it (an address with consent) is decided when the job runs, so consent
 * withdrawn in between is respected.
 */
export async function enqueueCustomerEmail(
  deps: Pick<Deps, "queue">,
  tx: DbExecutor | postgres.TransactionSql,
  data: CustomerEmailData,
): Promise<void> {
  await deps.queue.enqueue(CUSTOMER_EMAIL_JOB, data, { tx });
}

/** The end customer hears about each approval (by e-mail, when the account consented). */
export const emailCustomerOnApproval: RecapReaction = async (deps, tx, change) => {
  if (change.recap.state !== "approved" || !changedState(change)) return;
  const { tenantId, id: recapId, version } = change.recap;
  await enqueueCustomerEmail(deps, tx, { tenantId, recapId, version });
};

/** The recap, or null only when it is known to be gone (404); a database failure is retried. */
const recapOrNull = (db: Deps["db"], tenantId: string, recapId: string) =>
  getRecap(db, tenantId, recapId).catch((error: unknown) => {
    if (isAppError(error, "not_found")) return null;
    throw error;
  });

/**
 * The LinkedIn card's PNG for the recap as it is now. It is content-addressed, so rendering it here
 * (when the render job has not got to it yet) is the render job's own work done early. A recap that
 * cannot be rendered gets a link to the card instead of an attachment.
 */
async function linkedInCard(deps: JobDeps, recap: RecapWithAccount, tenant: Tenant): Promise<Uint8Array | null> {
  try {
    const input = renderInputFor(recap, tenant, { shareUrl: await shareUrlFor(deps, recap) });
    const key = await ensureAsset(deps, recap.tenantId, "linkedin", input);
    const stored = await tenantAssetBytes(deps.db, recap.tenantId, key);
    return stored?.bytes ? new Uint8Array(stored.bytes) : null;
  } catch (error) {
    deps.log.warn({ recapId: recap.id, error: (error as Error).message }, "customer e-mail goes without the card");
    return null;
  }
}

const fileStamp = (at: Date) => at.toISOString().replace(/[:.]/g, "-");

/**
 * Tells the end customer that an approved recap waits for them: a new private preview link, the
 * LinkedIn card, in the recap's language. Sent once per approval even when the job runs twice:
 * the row for (recap, version) is claimed under a lock and stamped in the same transaction. (If
 * the stamp's commit fails after the server took the message, the retry sends it again: at least
 * once, never silently lost.)
 */
export function customerEmailJob(deps: JobDeps, sender: MailSender = createMailSender(deps.config)) {
  const definition: JobDefinition<CustomerEmailData> = {
    name: CUSTOMER_EMAIL_JOB,
    queue: { retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
    concurrency: 2,
    async handle({ tenantId, recapId, version }) {
      const recap = await recapOrNull(deps.db, tenantId, recapId);
      if (!recap || !PREVIEWABLE.has(recap.state)) return;
      const [contact] = await deps.db
        .select({
          email: accounts.contactEmail,
          consentedAt: accounts.contactConsentedAt,
          timeZone: accounts.timeZone,
        })
        .from(accounts)
        .where(and(eq(accounts.id, recap.accountId), eq(accounts.tenantId, tenantId)));
      if (!contact?.email || !contact.consentedAt) return;
      const to = contact.email;

      await deps.db.transaction(async (tx) => {
        await tx.insert(customerEmails).values({ tenantId, recapId, recapVersion: version }).onConflictDoNothing();
        const [claim] = await tx
          .select({ id: customerEmails.id, sentAt: customerEmails.sentAt })
          .from(customerEmails)
          .where(and(eq(customerEmails.recapId, recapId), eq(customerEmails.recapVersion, version)))
          .for("update");
        if (!claim || claim.sentAt) return;
        const tenant = await getTenant(tx, tenantId);
        const link = await createPreviewLink(deps, { tenantId, recapId });
        const locale = recap.locale;
        const email = composeRecapEmail({
          locale,
          kind: recap.kind,
          moment: recap.origin.type === "trigger" ? (recap.origin.ruleName ?? null) : null,
          product: tenant.name,
          period: formatPeriodInTitle(recapPeriod(recap), locale),
          previewUrl: link.url,
          expiresAt: link.expiresAt,
          timeZone: contact.timeZone,
          card: await linkedInCard(deps, recap, tenant),
          cardUrl: `${link.url}/assets/linkedin`,
        });
        const now = deps.clock.now();
        const sent = await sender.send(tenantId, `${fileStamp(now)}-${recapId}-v${version}`, { to, ...email });
        await tx
          .update(customerEmails)
          .set({
            toAddress: to,
            subject: email.subject,
            locale,
            transport: sent.transport,
            messageId: sent.messageId,
            outboxFile: sent.outboxFile,
            sentAt: now,
          })
          .where(eq(customerEmails.id, claim.id));
      });
    },
  };
  return definition;
}
