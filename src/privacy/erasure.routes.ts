import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.js";
import { requireScope } from "../platform/auth/api-key-auth.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { jsonContent, problemResponses } from "../platform/http/openapi.js";
import { notFound } from "../platform/http/problem.js";
import { externalIdSchema } from "../usage/account-input.js";
import { type ErasureSummary, eraseAccount } from "./erase-account.js";

const security = [{ bearerAuth: [] }];

const count = (description: string) => z.number().int().nonnegative().describe(description);

const ErasureSchema = z
  .object({
    erasedAt: z.string(),
    events: count("Usage events deleted, with their rollups."),
    recaps: count("Recaps deleted, with their audit trail and preview links."),
    assets: count("Card and PDF files deleted (the recaps' own and the tenant's unused render cache)."),
    links: count("Share links kept without their recap: `/s/{code}` and `/r/{code}` answer 410 Gone."),
    clicksAnonymized: count("Clicks on those links kept without visitor hash, referrer host or country."),
    conversionsDetached: count("Conversions kept (they are your new users), no longer tied to a recap."),
    llmCallsDetached: count("LLM calls kept on your bill, no longer tied to a recap."),
    webhookMessages: count("Webhook messages about the account or its recaps deleted, with their delivery log."),
    idempotencyRecords: count("Stored Idempotency-Key responses that mentioned the account deleted."),
    talliesKept: count("Anonymous per-recap loop counts kept, so loop analytics do not change."),
  })
  .openapi("AccountErasure");

const summaryJson = (summary: ErasureSummary) => ({ ...summary, erasedAt: summary.erasedAt.toISOString() });

export function registerErasureRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/accounts/{externalId}/erasure",
      operationId: "eraseAccount",
      tags: ["Privacy"],
      summary: "Erase an account: its usage, recaps, files and personal click data; keep anonymous counts",
      description:
        "Removes the account and everything of it in one transaction, and answers what was removed. Share links " +
        "stay and answer 410 Gone; conversions and LLM costs stay, detached; each recap leaves an anonymous tally " +
        "for loop analytics. Not undoable. A second call answers 404, as for an account that never existed: " +
        "nothing is kept that could tell them apart. The external id can be used again for a new account.",
      security,
      middleware: [requireScope("accounts:write", "admin")] as const,
      request: {
        params: z.object({ externalId: externalIdSchema.openapi({ param: { name: "externalId", in: "path" } }) }),
      },
      responses: {
        200: jsonContent(ErasureSchema, "The account is erased"),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const summary = await eraseAccount(deps, c.get("principal").tenantId, c.req.valid("param").externalId);
      // The detail does not echo the id: an Idempotency-Key replay would keep it for a day.
      if (!summary) throw notFound("There is no such account in this tenant, or it was erased already.");
      return c.json(summaryJson(summary), 200);
    },
  );
}
