import type { Hono } from "hono";
import { publicAssetPath } from "../assets/asset-key.js";
import { listRecapAssets } from "../assets/asset-queries.js";
import type { Deps } from "../deps.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { NO_STORE } from "../platform/http/cache-control.js";
import { notFound, ProblemError } from "../platform/http/problem.js";
import { SHARE_CODE_PATTERN } from "./share-code.js";
import { findLinkTarget } from "./share-links.js";

/**
 * A published recap's PDF, by share link: a redirect to the current file. The file's own address
 * changes with every render (it is the content's hash: a QR code added, a revision), so a link
 * someone e-mailed must not point at it; this one keeps working until the recap is taken down.
 */
export function registerRecapPdfRoute(app: Hono<AppEnv>, deps: Pick<Deps, "db">) {
  app.get("/s/:code/pdf", async (c) => {
    const code = c.req.param("code");
    c.header("cache-control", NO_STORE);
    const link = SHARE_CODE_PATTERN.test(code) ? await findLinkTarget(deps.db, code) : null;
    if (!link) throw notFound("No recap is shared under this code.");
    if (!link.recapId || link.state !== "published") {
      throw new ProblemError({ status: 410, code: "gone", detail: "Its owner has taken this recap down." });
    }
    const pdf = (await listRecapAssets(deps.db, link.recapId)).find((asset) => asset.kind === "pdf");
    if (!pdf) throw new ProblemError({ status: 404, code: "not_rendered", detail: "The PDF is not ready yet." });
    return c.redirect(publicAssetPath(pdf.key, "pdf"), 302);
  });
}
