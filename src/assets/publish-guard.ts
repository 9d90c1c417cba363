import type { Deps } from "../deps.js";
import { ProblemError } from "../platform/http/problem.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { getRecap } from "../recaps/recaps.js";
import { renderRecapAssets } from "./render-assets.js";
import { clearRenderFailure, recordRenderFailure } from "./render-failures.js";
import { NotRenderableError, renderInputFor } from "./render-input.js";
import { shareUrlFor } from "./share-url.js";

export type PublishGuardDeps = Pick<Deps, "db" | "renderer" | "clock" | "config" | "metrics" | "log">;

/**
 * A recap is published only with its cards and PDF in hand: otherwise its share page would go
 * out without an og:image. The assets of the approved version are made here if the render job
 * has not made them yet (content-addressed, so what the job made is reused and nothing renders
 * twice); if they cannot be made, publishing is refused with the reason, which the recap shows.
 * Recaps in other states are left to the state machine to refuse.
 */
export async function ensureAssetsBeforePublishing(deps: PublishGuardDeps, tenantId: string, recapId: string) {
  const recap = await getRecap(deps.db, tenantId, recapId);
  if (recap.state !== "approved") return;
  try {
    const tenant = await getTenant(deps.db, tenantId);
    await renderRecapAssets(deps, recap, renderInputFor(recap, tenant, { shareUrl: await shareUrlFor(deps, recap) }));
    await clearRenderFailure(deps.db, recap.id);
  } catch (error) {
    if (error instanceof NotRenderableError)
      throw new ProblemError({ status: 409, code: "conflict", detail: error.message });
    const failure = await recordRenderFailure(deps, recap, error);
    throw new ProblemError({
      status: 409,
      code: "assets_not_rendered",
      detail: `The recap cannot be published before its cards and PDF exist, and they could not be rendered: ${failure.reason}`,
      extensions: { renderFailure: { code: failure.code, reason: failure.reason } },
    });
  }
}
