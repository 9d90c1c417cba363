import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { ifNoneMatchHits, NO_STORE, PUBLIC_REVALIDATE } from "../platform/http/cache-control.js";
import { jsonContent, problemResponses } from "../platform/http/openapi.js";
import { ProblemError, problemResponse } from "../platform/http/problem.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { getRecap } from "../recaps/recaps.js";
import { ASSET_KINDS, type AssetKind } from "../rendering/rendering.types.js";
import { publicAssetPath } from "./asset-key.js";
import { listRecapAssets, publicAssetStates, publishedAssetBytes, tenantAssetBytes } from "./asset-queries.js";

const security = [{ bearerAuth: [] }];
const idParam = z.uuid().openapi({ param: { name: "id", in: "path" } });
const kindParam = z.enum(ASSET_KINDS as [AssetKind, ...AssetKind[]]).openapi({ param: { name: "kind", in: "path" } });

const AssetSchema = z
  .object({
    kind: z.enum(ASSET_KINDS as [AssetKind, ...AssetKind[]]),
    contentType: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    byteSize: z.number().int(),
    stale: z.boolean().describe("The copy changed after this render; a new render is on its way."),
    url: z.string().describe("Private: needs an API key of the tenant."),
    publicUrl: z
      .string()
      .nullable()
      .describe("Only once the recap is published; caches must revalidate it before each reuse (ETag)."),
  })
  .openapi("Asset");

const binary = (contentType: string, description: string) => ({
  content: { [contentType]: { schema: z.string().openapi({ format: "binary" }) } },
  description,
});

function sendBytes(c: Context, bytes: Buffer, contentType: string, key: string, cacheControl: string) {
  const etag = `"${key}"`;
  c.header("etag", etag);
  c.header("cache-control", cacheControl);
  c.header("x-content-type-options", "nosniff");
  if (ifNoneMatchHits(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  c.header("content-type", contentType);
  c.header("content-length", String(bytes.length));
  return c.body(new Uint8Array(bytes), 200);
}

export function registerAssetRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps/{id}/assets",
      operationId: "listRecapAssets",
      tags: ["Assets"],
      summary: "The recap's cards (LinkedIn, square, story) and PDF, once rendered",
      description: "Assets are rendered when a recap is approved. An empty list means rendering has not finished.",
      security,
      middleware: [requireScope("recaps:read", "recaps:write", "review")] as const,
      request: { params: z.object({ id: idParam }) },
      responses: {
        200: jsonContent(z.object({ data: z.array(AssetSchema) }), "The assets"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const recap = await getRecap(deps.db, c.get("principal").tenantId, c.req.valid("param").id);
      const rows = await listRecapAssets(deps.db, recap.id);
      const published = recap.state === "published";
      const publicFor = (row: { recapVersion: number }) => published && row.recapVersion === recap.version;
      const data = rows
        .sort((a, b) => ASSET_KINDS.indexOf(a.kind) - ASSET_KINDS.indexOf(b.kind))
        .map((row) => ({
          kind: row.kind,
          contentType: row.contentType,
          width: row.width,
          height: row.height,
          byteSize: row.byteSize,
          stale: row.recapVersion < recap.version && recap.state !== "published",
          url: `/v1/recaps/${recap.id}/assets/${row.kind}`,
          publicUrl: publicFor(row) ? `${publicBaseUrl(c, deps.config)}${publicAssetPath(row.key, row.kind)}` : null,
        }));
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps/{id}/assets/{kind}",
      operationId: "getRecapAsset",
      tags: ["Assets"],
      summary: "One asset's bytes, for the tenant's own backend (any state)",
      security,
      middleware: [requireScope("recaps:read", "recaps:write", "review")] as const,
      request: { params: z.object({ id: idParam, kind: kindParam }) },
      responses: {
        200: binary("image/png", "The PNG card, or the PDF (application/pdf)"),
        304: { description: "Not modified (If-None-Match)" },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id, kind } = c.req.valid("param");
      const tenantId = c.get("principal").tenantId;
      const recap = await getRecap(deps.db, tenantId, id);
      const row = (await listRecapAssets(deps.db, recap.id)).find((asset) => asset.kind === kind);
      const stored = row ? await tenantAssetBytes(deps.db, tenantId, row.key) : null;
      if (!row || !stored?.bytes) {
        throw new ProblemError({
          status: 404,
          code: "not_rendered",
          detail: `The ${kind} asset of this recap has not been rendered yet; assets are rendered once a recap is approved.`,
        });
      }
      // Private: the recap may not be public, and its copy may still change.
      return sendBytes(c, stored.bytes, stored.contentType, row.key, "private, no-cache") as never;
    },
  );

  // Public bytes of published recaps. Not in the OpenAPI document's authenticated API: it is what
  // share pages, LinkedIn and e-mail clients link to.
  app.get("/assets/:file{[0-9a-f]{64}\\.(?:png|pdf)}", async (c) => {
    const [key] = c.req.param("file").split(".") as [string];
    // A verdict this process found moments ago, kept only while take-downs are heard (public-verdicts.ts).
    let shown = deps.publicVerdicts.isPublic(key);
    let states: Awaited<ReturnType<typeof publicAssetStates>> = [];
    if (!shown) {
      const checkedAt = deps.publicVerdicts.generation();
      states = await publicAssetStates(deps.db, key);
      // Published, and rendered for the published version: assets rendered before the customer hid
      // a number stay private until the render that follows publication replaces them.
      shown = states.some((row) => row.state === "published" && row.current);
      if (shown) deps.publicVerdicts.remember(key, checkedAt);
    }
    // The bytes never change (the key is their hash), but the owner may take the recap down:
    // caches must revalidate every time (a 304 from this check, no bytes read).
    if (shown) {
      const etag = `"${key}"`;
      if (ifNoneMatchHits(c.req.header("if-none-match"), etag)) {
        return c.body(null, 304, { etag, "cache-control": PUBLIC_REVALIDATE });
      }
      // The visibility check above ran: only the bytes come from memory (they never change under a key).
      const cached = deps.publicAssets.get(key);
      if (cached) return sendBytes(c, cached.bytes, cached.contentType, key, PUBLIC_REVALIDATE);
      const stored = await publishedAssetBytes(deps.db, key);
      if (stored?.bytes) {
        deps.publicAssets.set(key, { bytes: stored.bytes, contentType: stored.contentType });
        return sendBytes(c, stored.bytes, stored.contentType, key, PUBLIC_REVALIDATE);
      }
    }
    // Taken down, replaced or erased: its bytes leave this process's memory too.
    deps.publicAssets.forget([key]);
    c.header("cache-control", NO_STORE);
    if (states.some((row) => row.state === "unpublished" || row.state === "archived")) {
      return problemResponse(c, { status: 410, code: "gone", detail: "The recap was taken down by its owner." });
    }
    return problemResponse(c, { status: 404, code: "not_found", detail: "No published asset has this address." });
  });
}
