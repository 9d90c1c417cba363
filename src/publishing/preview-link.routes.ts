import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { createPreviewLink, DEFAULT_PREVIEW_HOURS, MAX_PREVIEW_HOURS } from "./preview-links.js";

const PreviewLinkSchema = z
  .object({
    url: z.string().describe("Show it to the end customer only: whoever holds it can publish the recap."),
    expiresAt: z.string(),
  })
  .openapi("PreviewLink");

export function registerPreviewLinkRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps/{id}/preview-link",
      operationId: "createPreviewLink",
      tags: ["Review"],
      summary: "A private link where the end customer previews, hides numbers and publishes an approved recap",
      description:
        "The link's token is its only credential: it is shown once and stored as a SHA-256 hash. " +
        `It expires after \`expiresInHours\` (default ${DEFAULT_PREVIEW_HOURS}, at most ${MAX_PREVIEW_HOURS}). ` +
        "409 unless the recap is approved or published.",
      security: [{ bearerAuth: [] }],
      middleware: [requireScope("recaps:write", "admin")] as const,
      request: {
        params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }),
        body: jsonBody(z.strictObject({ expiresInHours: z.number().int().min(1).max(MAX_PREVIEW_HOURS).optional() })),
      },
      responses: {
        201: jsonContent(PreviewLinkSchema, "The link, for the product to show its customer"),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const link = await createPreviewLink(
        deps,
        {
          tenantId: c.get("principal").tenantId,
          recapId: c.req.valid("param").id,
          expiresInHours: c.req.valid("json").expiresInHours,
        },
        publicBaseUrl(c, deps.config),
      );
      c.header("cache-control", "no-store");
      return c.json({ url: link.url, expiresAt: link.expiresAt.toISOString() }, 201);
    },
  );
}
