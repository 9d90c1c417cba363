import type { Deps } from "../deps.js";
import { AppError } from "../platform/errors.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { getRecap, type RecapWithAccount } from "../recaps/recaps.js";
import { clearRenderFailure } from "../recaps/render-failures.js";
import { ASSET_KINDS } from "../rendering/rendering.types.js";
import { ensureAsset, renderRecapAssets } from "./render-assets.js";
import { recordRenderFailure } from "./render-failures.js";
import { NotRenderableError, renderInputFor } from "./render-input.js";
import { shareUrlFor } from "./share-url.js";

export type PublishGuardDeps = Pick<Deps, "db" | "renderer" | "clock" | "config" | "metrics" | "log" | "shareUrlOf">;

async function inputFor(deps: PublishGuardDeps, recap: RecapWithAccount) {
  const tenant = await getTenant(deps.db, recap.tenantId);
  return renderInputFor(recap, tenant, { shareUrl: await shareUrlFor(deps, recap) });
}

/**
 * A recap is published only with its cards and PDF in hand: otherwise its share page would go
 * out without an og:image. Before publishing, the assets are made as the published recap will
 * show them (the numbers the customer hides, the next version's share URL); they are
 * content-addressed, so what the render job made is reused and nothing renders twice. If they
 * cannot be made, publishing is refused with the reason, which the recap then shows. Recaps in
 * other states are left to the state machine to refuse.
 */
export async function ensureAssetsBeforePublishing(
  deps: PublishGuardDeps,
  tenantId: string,
  recapId: string,
  hiddenFactIds: string[] | undefined,
): Promise<void> {
  const recap = await getRecap(deps.db, tenantId, recapId);
  if (recap.state !== "approved") return;
  const published = { ...recap, hiddenFactIds: hiddenFactIds ?? recap.hiddenFactIds, version: recap.version + 1 };
  try {
    const input = await inputFor(deps, published);
    for (const kind of ASSET_KINDS) await ensureAsset(deps, tenantId, kind, input);
    await clearRenderFailure(deps.db, recap.id);
  } catch (error) {
    if (error instanceof NotRenderableError) throw new AppError("conflict", error.message);
    const failure = await recordRenderFailure(deps, recap, error);
    throw new AppError(
      "assets_not_rendered",
      `The recap cannot be published before its cards and PDF exist, and they could not be rendered: ${failure.reason}`,
      { details: { renderFailure: { code: failure.code, reason: failure.reason } } },
    );
  }
}

/**
 * Points the just-published recap at the assets made for it, so its share page and public
 * addresses work the moment publishing returns. Nothing renders here (the keys exist); if the
 * recap changed in between, the render job enqueued with the publication catches up.
 */
export async function showPublishedAssets(deps: PublishGuardDeps, tenantId: string, recapId: string): Promise<void> {
  const recap = await getRecap(deps.db, tenantId, recapId);
  await renderRecapAssets(deps, recap, await inputFor(deps, recap)).catch((error: unknown) => {
    deps.log.warn({ err: error, recapId }, "pointing a published recap at its assets failed; the render job will");
  });
}
