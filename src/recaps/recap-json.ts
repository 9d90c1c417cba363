import { z } from "@hono/zod-openapi";
import { recapCopySchema, wordingSchema } from "../drafting/copy.schema.js";
import { THEMES } from "../rendering/rendering.types.js";
import { copyIsUpdating, type RecapWithAccount } from "./recaps.js";
import { RECAP_STATES } from "./recaps.schema.js";

/** The recap as the API shows it (OpenAPI component "Recap"). */
export const RecapSchema = z
  .object({
    id: z.uuid(),
    account: z.object({ externalId: z.string(), name: z.string() }),
    period: z.string(),
    kind: z.enum(["quarterly", "milestone", "annual"]),
    locale: z.string(),
    state: z.enum(RECAP_STATES),
    stateReason: z.string().nullable(),
    version: z.number().int(),
    variant: z
      .enum(["A", "B"])
      .describe("A: rational (numbers, time and money); B: pride (achievement, rank, archetype)."),
    copy: recapCopySchema.nullable().describe("Null until drafted."),
    copyAlternatives: z
      .array(wordingSchema)
      .describe(
        "Other wordings of the headline and post the drafter offered, each fact-checked; the end customer may pick one.",
      ),
    customerChoices: z
      .object({
        theme: z.enum(THEMES).optional(),
        firstCardSize: z.enum(["linkedin", "square", "story"]).optional(),
        wording: z.enum(["drafted", "alternative", "edited"]).optional(),
      })
      .describe("What the end customer chose on their preview page: the look, the card shown first, the wording."),
    factCheck: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Every number in the copy and the fact it matches, or the mismatch."),
    flagged: z.boolean().describe("The reviewer should look closely: see `drafting.flags`."),
    hiddenFactIds: z.array(z.string()).describe("Facts the end customer chose to hide: in no public text or asset."),
    copyUpdating: z
      .boolean()
      .describe("True while the copy is re-drafted without the hidden facts; publishing waits for it."),
    drafting: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Drafter, model, prompt version, tries, flags, token use and cost."),
    digest: z.record(z.string(), z.unknown()).describe("Facts with provenance, headline, chart series, archetype."),
    origin: z.record(z.string(), z.unknown()),
    renderFailure: z
      .object({
        code: z.enum(["glyph_coverage", "error"]),
        reason: z.string(),
        version: z.number().int().describe("The recap version whose render failed."),
        failedAt: z.string(),
      })
      .nullable()
      .describe(
        "Why the cards and PDF could not be rendered; null when they were (or are on their way). Blocks publishing.",
      ),
    statusUrl: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Recap");

/** A recap in the API's shape: what GET /v1/recaps/{id}, the list and every review action answer. */
export function recapJson(recap: RecapWithAccount) {
  return {
    id: recap.id,
    account: { externalId: recap.accountExternalId, name: recap.accountName },
    period: recap.period,
    kind: recap.kind,
    locale: recap.locale,
    state: recap.state,
    stateReason: recap.stateReason,
    version: recap.version,
    variant: recap.variant,
    copy: recap.copy,
    copyAlternatives: recap.copyAlternatives ?? [],
    customerChoices: recap.customerChoices ?? {},
    factCheck: recap.factCheck as unknown as Record<string, unknown> | null,
    flagged: recap.flagged,
    hiddenFactIds: recap.hiddenFactIds,
    copyUpdating: copyIsUpdating(recap),
    drafting: recap.drafting as unknown as Record<string, unknown> | null,
    digest: recap.digest as unknown as Record<string, unknown>,
    origin: recap.origin as unknown as Record<string, unknown>,
    renderFailure: recap.renderFailure
      ? {
          code: recap.renderFailure.code as "glyph_coverage" | "error",
          reason: recap.renderFailure.reason,
          version: recap.renderFailure.version,
          failedAt: recap.renderFailure.failedAt.toISOString(),
        }
      : null,
    statusUrl: `/v1/recaps/${recap.id}`,
    createdAt: recap.createdAt.toISOString(),
    updatedAt: recap.updatedAt.toISOString(),
  };
}
