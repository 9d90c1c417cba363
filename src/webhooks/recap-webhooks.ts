import { changedState, type RecapReaction } from "../recaps/recap-reactions.js";
import type { RecapState } from "../recaps/recaps.schema.js";
import { emitWebhookEvent } from "./emit.js";
import type { WebhookEventType } from "./event-types.js";

/** The webhook a tenant hears when a recap reaches a state (in the same transaction as the change). */
const WEBHOOK_FOR_STATE: Partial<Record<RecapState, WebhookEventType>> = {
  pending_review: "recap.drafted",
  approved: "recap.approved",
  published: "recap.published",
  rejected: "recap.rejected",
  unpublished: "recap.unpublished",
};

/** Tells the tenant's endpoints that a recap reached a state they can subscribe to. */
export const emitRecapWebhook: RecapReaction = async (deps, tx, change) => {
  const { recap, previousState } = change;
  const event = WEBHOOK_FOR_STATE[recap.state];
  // "drafted" means a new draft reached review, not that an edit sent one back.
  const isNewDraft = recap.state !== "pending_review" || previousState === "drafting";
  if (!event || !changedState(change) || !isNewDraft) return;
  await emitWebhookEvent(deps, tx, recap.tenantId, event, {
    recapId: recap.id,
    accountId: recap.accountId,
    period: recap.period,
    kind: recap.kind,
    locale: recap.locale,
    variant: recap.variant,
    state: recap.state,
    previousState,
    version: recap.version,
    actor: { type: change.actor.type, name: change.actor.name },
    reason: change.reason,
  });
};
