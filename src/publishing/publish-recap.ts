import { listRecapAssets } from "../assets/asset-queries.js";
import { ensureAssetsBeforePublishing, type PublishGuardDeps, showPublishedAssets } from "../assets/publish-guard.js";
import type { DbExecutor } from "../platform/db/client.js";
import type { RecapActionDeps } from "../recaps/recap-actions.js";
import {
  COPY_UPDATING,
  hiddenFactShown,
  type PublishBlocker,
  publishRecap as publishRecapChange,
} from "../recaps/recap-changes.js";
import { copyIsUpdating, type Recap } from "../recaps/recaps.js";

type Target = Parameters<typeof publishRecapChange>[1];

/**
 * Why this recap may not be published now, or null: its copy is being re-drafted without the
 * hidden numbers, its cards for this version are not rendered yet, or its copy shows a hidden number.
 */
export async function publishBlocker(tx: DbExecutor, recap: Recap): Promise<PublishBlocker | null> {
  if (copyIsUpdating(recap)) return COPY_UPDATING;
  if (recap.hiddenFactIds.length === 0 || !recap.copy) return null;
  const rendered = await listRecapAssets(tx, recap.id);
  const current = (kind: string) => rendered.some((row) => row.kind === kind && row.recapVersion === recap.version);
  if (!current("linkedin") || !current("pdf")) {
    return {
      code: "copy_updating",
      detail: "The card and PDF without the hidden numbers are still being made. Look at them, then publish.",
    };
  }
  return hiddenFactShown(tx, recap);
}

/**
 * The end customer's (or the backend's) publication: the cards and PDF are made first, so the
 * share page never goes out without its image; the state change and consent record are recaps/';
 * then the published recap is pointed at its assets.
 */
export async function publishRecap(
  deps: RecapActionDeps & PublishGuardDeps,
  target: Target,
  hiddenFactIds: string[] | undefined,
) {
  await ensureAssetsBeforePublishing(deps, target.tenantId, target.recapId, hiddenFactIds);
  const published = await publishRecapChange(deps, target, hiddenFactIds, publishBlocker);
  await showPublishedAssets(deps, published.tenantId, published.id);
  return published;
}
