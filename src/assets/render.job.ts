import { availableParallelism } from "node:os";
import type { Deps } from "../deps.js";
import { isAppError } from "../platform/errors.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { getRecap } from "../recaps/recaps.js";
import { clearRenderFailure } from "../recaps/render-failures.js";
import { GlyphCoverageError } from "../rendering/glyph-coverage.js";
import { ASSET_KINDS } from "../rendering/rendering.types.js";
import { assetKey } from "./asset-key.js";
import { deleteAssetsIfUnreferenced } from "./erase-assets.js";
import { renderRecapAssets } from "./render-assets.js";
import { recordRenderFailure } from "./render-failures.js";
import { renderInputFor } from "./render-input.js";
import { shareUrlFor } from "./share-url.js";

export const RECAP_RENDER_JOB = "recap.render";

/** Recaps whose cards may be rendered for sharing; earlier states get previews only. */
const RENDERABLE = new Set(["approved", "published"]);

/** True only when the recap is known to be gone (404), not when the database failed to say. */
const recapIsGone = (db: Deps["db"], tenantId: string, recapId: string) =>
  getRecap(db, tenantId, recapId).then(
    () => false,
    (error: unknown) => isAppError(error, "not_found"),
  );

/**
 * Renders a recap's cards and PDF once it is approved, so they are ready before LinkedIn's crawler
 * asks. Idempotent under retries: assets are content-addressed, and a key that exists is reused.
 */
export function recapRenderJob(
  deps: Pick<Deps, "db" | "renderer" | "clock" | "config" | "metrics" | "log" | "shareUrlOf">,
): JobDefinition<{ recapId: string; tenantId: string }> {
  return {
    name: RECAP_RENDER_JOB,
    queue: { retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
    // Two jobs in flight per render thread (a pool of one per core): while one job reads the
    // recap or stores its files, the other keeps the thread busy. With one per thread, a bulk
    // approval rendered at 0.42 of the pool's own rate (bench quarter-close).
    concurrency: Math.max(2, availableParallelism() * 2),
    // A bulk approval enqueues hundreds at once: keep fetching while there is a backlog.
    batchSize: 2,
    async handle({ recapId, tenantId }) {
      const recap = await getRecap(deps.db, tenantId, recapId).catch(() => null);
      if (!recap || !RENDERABLE.has(recap.state)) return;
      const tenant = await getTenant(deps.db, tenantId);
      const input = renderInputFor(recap, tenant, { shareUrl: await shareUrlFor(deps, recap) });
      try {
        // A backlog's renders (a bulk approval) give way to previews someone is waiting for.
        await renderRecapAssets(deps, recap, input, "background");
        await clearRenderFailure(deps.db, recap.id);
      } catch (error) {
        if (!(await recapIsGone(deps.db, tenantId, recapId))) {
          // Shown on the recap, logged and counted; it blocks publishing until a render succeeds.
          await recordRenderFailure(deps, recap, error);
          // Text no font can draw fails the same way every time: retrying would only hide it.
          if (error instanceof GlyphCoverageError) return;
          throw error;
        }
        // Erased while rendering: the files just made belong to no recap. Delete them, do not retry.
        const keys = ASSET_KINDS.map((kind) => assetKey(tenantId, kind, input));
        await deleteAssetsIfUnreferenced(deps.db, tenantId, keys);
      }
    },
  };
}
