import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonBody, jsonContent, problemResponses } from "../platform/http/openapi.js";
import { publicBaseUrl } from "../platform/http/public-base-url.js";
import { getRecap } from "../recaps/recaps.js";
import { listShareLinks, redirectUrl, type ShareLink, shareUrl } from "./share-links.js";
import { shareRecap } from "./share-recap.js";
import { SHARE_CHANNELS, type ShareChannel } from "./sharing.schema.js";

const security = [{ bearerAuth: [] }];
const idParam = z.uuid().openapi({ param: { name: "id", in: "path" } });
const channelList = SHARE_CHANNELS.join(", ");
// Zod's own wording ("Invalid option") does not say a missing channel is the problem, nor what to send.
const channel = z.enum(SHARE_CHANNELS as unknown as [ShareChannel, ...ShareChannel[]], {
  error: (issue) =>
    issue.input === undefined ? `is required: one of ${channelList}` : `must be one of ${channelList}`,
});

const ShareLinkSchema = z
  .object({
    code: z.string().describe("Short, unguessable base62 code."),
    channel,
    recapVersion: z.number().int().describe("The recap's version when the link was made."),
    createdAt: z.string(),
    shareUrl: z
      .string()
      .describe("The public share page, `?v=` the recap's current version so LinkedIn re-reads a revised card."),
    redirectUrl: z.string().describe("Tracked redirect to the tenant's signup page (ref + UTM parameters)."),
  })
  .openapi("ShareLink");

function present(base: string, link: ShareLink, recapVersion: number) {
  return {
    code: link.code,
    channel: link.channel,
    recapVersion: link.recapVersion,
    createdAt: link.createdAt.toISOString(),
    shareUrl: shareUrl(base, link.code, recapVersion),
    redirectUrl: redirectUrl(base, link.code),
  };
}

export function registerLinkRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/recaps/{id}/links",
      operationId: "createShareLink",
      tags: ["Sharing"],
      summary: "Make a tracked share link for a published recap",
      description:
        "One link per place it is shared (LinkedIn, e-mail, …) so clicks and signups can be told apart. Only published recaps can be shared (409 otherwise), and the tenant needs a signup URL for the redirect to lead somewhere.",
      security,
      middleware: [requireScope("recaps:write")] as const,
      request: { params: z.object({ id: idParam }), body: jsonBody(z.strictObject({ channel })) },
      responses: {
        201: jsonContent(ShareLinkSchema, "The link"),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const recap = await getRecap(deps.db, c.get("principal").tenantId, c.req.valid("param").id);
      const link = await shareRecap(deps, recap, c.req.valid("json").channel);
      return c.json(present(publicBaseUrl(c, deps.config), link, recap.version), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/recaps/{id}/links",
      operationId: "listShareLinks",
      tags: ["Sharing"],
      summary: "The recap's share links, oldest first",
      security,
      middleware: [requireScope("recaps:read", "recaps:write")] as const,
      request: { params: z.object({ id: idParam }) },
      responses: {
        200: jsonContent(z.object({ data: z.array(ShareLinkSchema) }), "The links"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const tenantId = c.get("principal").tenantId;
      const recap = await getRecap(deps.db, tenantId, c.req.valid("param").id);
      const rows = await listShareLinks(deps.db, tenantId, recap.id);
      const base = publicBaseUrl(c, deps.config);
      return c.json({ data: rows.map((row) => present(base, row, recap.version)) }, 200);
    },
  );
}
