import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { AppError, conflict, validationFailed } from "../platform/errors.js";
import { recaps } from "../recaps/recaps.schema.js";
import { shareLinks } from "../sharing/sharing.schema.js";
import { emitWebhookEvent } from "../webhooks/emit.js";
import { type CONVERSION_TYPES, conversions, loopCompletions } from "./loop.schema.js";

const FUTURE_LIMIT_MS = 5 * 60 * 1000;
const PAST_LIMIT_MS = 365 * 24 * 60 * 60 * 1000;

/** A conversion as the tenant's backend reports it (validated for shape by the caller). */
export type ConversionInput = {
  ref: string;
  type: (typeof CONVERSION_TYPES)[number];
  externalUserId: string;
  value?: number | undefined;
  currency?: string | undefined;
  occurredAt?: string | undefined;
};

export type Conversion = typeof conversions.$inferSelect;

/** A conversion as the API shows it. */
export const conversionJson = (row: Conversion) => ({
  id: row.id,
  ref: row.ref,
  recapId: row.recapId,
  type: row.type,
  externalUserId: row.externalUserId,
  value: row.value,
  currency: row.currency,
  occurredAt: row.occurredAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
});

/** A resend matches the stored conversion when every field it sends is the same (occurredAt only if sent). */
function sameConversion(stored: Conversion, input: ConversionInput, occurredAt: Date | null): boolean {
  return (
    stored.ref === input.ref &&
    stored.value === (input.value ?? null) &&
    stored.currency === (input.currency ?? null) &&
    (occurredAt === null || stored.occurredAt.getTime() === occurredAt.getTime())
  );
}

/**
 * Records a signup, activation or payment that came through one of the tenant's share links;
 * a recap's first signup emits `loop.completed`, once. The same conversion again returns the
 * stored one (`created: false`); the same (type, externalUserId) with other fields is a conflict,
 * and a ref that is not this tenant's share link a 422. The API and the demo signup page call it.
 */
export async function recordConversion(
  deps: Deps,
  { tenantId, input }: { tenantId: string; input: ConversionInput },
): Promise<{ created: boolean; conversion: Conversion }> {
  const now = deps.clock.now();
  const sentAt = input.occurredAt ? new Date(input.occurredAt) : null;
  if (sentAt && sentAt.getTime() > now.getTime() + FUTURE_LIMIT_MS) {
    throw validationFailed([{ path: "occurredAt", message: "is more than 5 minutes in the future" }]);
  }
  if (sentAt && sentAt.getTime() < now.getTime() - PAST_LIMIT_MS) {
    throw validationFailed([{ path: "occurredAt", message: "is more than a year ago" }]);
  }

  const [link] = await deps.db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.code, input.ref), eq(shareLinks.tenantId, tenantId)));
  if (!link) {
    throw new AppError("unknown_reference", "The ref is not a share link of this tenant.", {
      errors: [{ path: "ref", message: "is not a known share link" }],
    });
  }

  const result = await deps.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(conversions)
      .values({
        tenantId,
        ref: link.code,
        recapId: link.recapId,
        type: input.type,
        externalUserId: input.externalUserId,
        value: input.value ?? null,
        currency: input.currency ?? null,
        occurredAt: sentAt ?? now,
      })
      .onConflictDoNothing({ target: [conversions.tenantId, conversions.type, conversions.externalUserId] })
      .returning();
    if (!inserted) return { created: false as const };

    if (inserted.type === "signup" && inserted.recapId) {
      // The insert-once marker: a racing first signup waits on this row, then inserts nothing.
      const [marker] = await tx
        .insert(loopCompletions)
        .values({ recapId: inserted.recapId, tenantId, conversionId: inserted.id })
        .onConflictDoNothing({ target: loopCompletions.recapId })
        .returning();
      if (marker) {
        const [recap] = await tx
          .select({ accountId: recaps.accountId })
          .from(recaps)
          .where(eq(recaps.id, inserted.recapId));
        await emitWebhookEvent(deps, tx, tenantId, "loop.completed", {
          recapId: inserted.recapId,
          accountId: recap?.accountId ?? null,
          shareLinkCode: link.code,
          channel: link.channel,
          externalUserId: inserted.externalUserId,
          occurredAt: inserted.occurredAt.toISOString(),
        });
      }
    }
    return { created: true as const, row: inserted };
  });
  if (result.created) return { created: true, conversion: result.row };

  const [stored] = await deps.db
    .select()
    .from(conversions)
    .where(
      and(
        eq(conversions.tenantId, tenantId),
        eq(conversions.type, input.type),
        eq(conversions.externalUserId, input.externalUserId),
      ),
    );
  if (!stored) throw new Error("a conflicting conversion disappeared");
  if (!sameConversion(stored, input, sentAt)) {
    throw conflict(`A ${input.type} conversion for this externalUserId was already recorded with other fields.`, {
      conversion: conversionJson(stored),
    });
  }
  return { created: false, conversion: stored };
}
