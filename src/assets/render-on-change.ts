import type { RecapReaction } from "../recaps/recap-reactions.js";
import { RECAP_RENDER_JOB } from "./render.job.js";

/**
 * Every approval and every publication renders for the new version: the customer may have hidden
 * numbers, and public addresses only serve assets rendered for the current version. Hiding a
 * number renders nothing yet: the cards wait for the copy re-drafted without it.
 */
export const renderOnApprovalOrPublication: RecapReaction = async (deps, tx, { recap, action }) => {
  if ((recap.state === "approved" || recap.state === "published") && action !== "hide_numbers") {
    await deps.queue.enqueue(RECAP_RENDER_JOB, { recapId: recap.id, tenantId: recap.tenantId }, { tx });
  }
};
