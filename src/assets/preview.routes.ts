import type { Hono } from "hono";
import type { Deps } from "../deps.js";
import { requireSessionPage } from "../platform/auth/require-session.js";
import type { AppEnv, SessionPrincipal } from "../platform/http/app-env.js";
import { problemResponse } from "../platform/http/problem.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { getRecap } from "../recaps/recaps.js";
import { GlyphCoverageError } from "../rendering/glyph-coverage.js";
import { ASSET_KINDS, type AssetKind, THEMES, type Theme } from "../rendering/rendering.types.js";
import { tenantAssetBytes } from "./asset-queries.js";
import { ensureAsset } from "./render-assets.js";
import { NotRenderableError, renderInputFor } from "./render-input.js";
import { shareUrlFor } from "./share-url.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Previews for signed-in reviewers, in any state with copy: rendered on demand (and cached by
 * content key like every asset), never public, never cached by the browser or a proxy.
 * `?theme=bold` previews the other design.
 */
export function registerPreviewRoutes(app: Hono<AppEnv>, deps: Deps) {
  app.get("/review/recaps/:id/preview/:kind", requireSessionPage(), async (c) => {
    const session = c.get("session") as SessionPrincipal;
    const id = c.req.param("id");
    const kind = c.req.param("kind") as AssetKind;
    const theme = c.req.query("theme");
    if (!UUID.test(id) || !ASSET_KINDS.includes(kind) || (theme && !THEMES.includes(theme as Theme))) {
      return problemResponse(c, { status: 404, code: "not_found", detail: "No such recap preview." });
    }
    const recap = await getRecap(deps.db, session.tenantId, id);
    const tenant = await getTenant(deps.db, session.tenantId);
    try {
      const input = renderInputFor(recap, tenant, {
        shareUrl: await shareUrlFor(deps, recap),
        ...(theme ? { theme: theme as Theme } : {}),
      });
      const key = await ensureAsset(deps, session.tenantId, kind, input);
      const stored = await tenantAssetBytes(deps.db, session.tenantId, key);
      if (!stored?.bytes) throw new Error("a rendered asset has no bytes");
      c.header("content-type", stored.contentType);
      c.header("cache-control", "no-store");
      c.header("x-content-type-options", "nosniff");
      return c.body(new Uint8Array(stored.bytes), 200);
    } catch (error) {
      // Text the fonts cannot draw is the recap's problem, not the server's: say which characters.
      if (error instanceof GlyphCoverageError)
        return problemResponse(c, { status: 409, code: "assets_not_rendered", detail: error.message });
      if (!(error instanceof NotRenderableError)) throw error;
      return problemResponse(c, { status: 409, code: "conflict", detail: error.message });
    }
  });
}
