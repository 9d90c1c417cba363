import { type RecapCopy, recapCopySchema, type Wording } from "../drafting/copy.schema.js";
import type { CheckedNumber, FactCheckResult } from "../drafting/fact-check.js";
import { HIDDEN_NUMBER_REASON } from "../drafting/hidden-facts.js";
import { stripInvisibleDeep } from "../drafting/sanitize.js";
import { AppError, conflict, validationFailed } from "../platform/errors.js";
import { CARD_SIZES, type CardSize, THEMES, type Theme } from "../rendering/rendering.types.js";
import { type Actor, applyRecapAction, type RecapActionDeps } from "./recap-actions.js";
import { checkCopyFor, refuseLinks } from "./recap-changes.js";
import type { FieldChange } from "./recap-events.schema.js";
import type { Recap } from "./recaps.js";
import type { CustomerChoices } from "./recaps.schema.js";

/**
 * The end customer makes the recap theirs before publishing: another drafted wording of the
 * headline and post, their own edit of the post, the cards' look and the card size shown first.
 * Each is one audited action through applyRecapAction; the recap stays approved. Unlike a
 * reviewer's half-way edit, a customer's text with a number the data does not back is never
 * saved: it is refused with the number, so what they publish is always checked text.
 */

type ActionDeps = RecapActionDeps;
type Target = { tenantId: string; recapId: string; actor: Actor; expectedVersion: number };

/** A number in the customer's text that the fact-check could not back, or one they chose to hide. */
export type FailedNumber = { text: string; hidden: boolean };

/**
 * Numbers the new text gets wrong that the approved text did not already have: a number a
 * reviewer vouched for with an override stays allowed, a new wrong one is refused.
 */
function newlyFailed(
  before: FactCheckResult | null,
  after: FactCheckResult,
  fields: readonly string[],
): FailedNumber[] {
  const known = new Set((before?.mismatches ?? []).map((number) => `${number.field}\u0000${number.text}`));
  return after.mismatches
    .filter((number: CheckedNumber) => fields.includes(number.field))
    .filter((number) => !known.has(`${number.field}\u0000${number.text}`))
    .map((number) => ({ text: number.text, hidden: (number.reason ?? "").startsWith(HIDDEN_NUMBER_REASON) }));
}

/** Refused with each failed number (409 `fact_check_failed`), or with the wrong language (409, reason `wrong_language`). */
function refuseUnchecked(recap: Recap, checked: FactCheckResult, fields: readonly string[]) {
  const failed = newlyFailed(recap.factCheck, checked, fields);
  if (failed.length > 0) {
    throw new AppError(
      "fact_check_failed",
      `These numbers are not in the recap's data: ${failed.map((number) => `"${number.text}"`).join(", ")}. Nothing was saved.`,
      { details: { failedNumbers: failed } },
    );
  }
  const language = (checked.problems ?? []).filter(
    (problem) => problem.rule === "language" && fields.includes(problem.field),
  );
  const before = (recap.factCheck?.problems ?? []).some((problem) => problem.rule === "language");
  if (language.length > 0 && !before) {
    throw conflict(`The text must stay in the recap's language (${recap.locale}). Nothing was saved.`, {
      reason: "wrong_language",
    });
  }
}

/** The copy with new texts, cleaned and checked against the schema (400 naming the field and the limit). */
function parsedCopy(copy: RecapCopy, texts: Partial<Wording>): RecapCopy {
  const parsed = recapCopySchema.safeParse(stripInvisibleDeep({ ...copy, ...texts }));
  if (!parsed.success) {
    throw validationFailed(
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  return parsed.data;
}

function copyOf(recap: Recap): RecapCopy {
  if (!recap.copy) throw conflict("The recap has no copy yet.");
  return recap.copy;
}

const textChanges = (from: RecapCopy, to: RecapCopy): FieldChange[] =>
  (["headline", "linkedinPost"] as const)
    .filter((field) => from[field] !== to[field])
    .map((field) => ({ field: `copy.${field}`, from: from[field], to: to[field] }));

/**
 * The customer takes one of the other wordings the drafter offered. The wording it replaces
 * takes its place in the list, so they can always go back.
 */
export function chooseWording(deps: ActionDeps, target: Target, index: number) {
  return applyRecapAction(deps, {
    ...target,
    action: "choose_wording",
    plan: async (recap, tx) => {
      const copy = copyOf(recap);
      const alternatives = recap.copyAlternatives ?? [];
      const chosen = Number.isInteger(index) ? alternatives[index] : undefined;
      if (!chosen) {
        throw validationFailed([
          { path: "wording", message: `is not one of the ${alternatives.length} wordings offered` },
        ]);
      }
      const next = parsedCopy(copy, chosen);
      const checked = await checkCopyFor(tx, recap, next);
      refuseLinks(checked);
      refuseUnchecked(recap, checked, ["headline", "linkedinPost"]);
      const rest = alternatives.map((wording, at) =>
        at === index ? { headline: copy.headline, linkedinPost: copy.linkedinPost } : wording,
      );
      const choices: CustomerChoices = { ...recap.customerChoices, wording: "alternative" };
      return {
        set: { copy: next, copyAlternatives: rest, factCheck: checked, flagged: !checked.ok, customerChoices: choices },
        changes: [
          ...textChanges(copy, next),
          { field: "customerChoices.wording", from: recap.customerChoices?.wording ?? "drafted", to: "alternative" },
        ],
      };
    },
  });
}

/**
 * The customer's own words for the post: within the copy's limits (at most 700 characters and
 * three hashtags, no links or markup), in the recap's language, and every number one the data
 * backs and the customer has not hidden. Anything else is refused and nothing is saved.
 */
export function editPost(deps: ActionDeps, target: Target, linkedinPost: string) {
  return applyRecapAction(deps, {
    ...target,
    action: "edit_post",
    plan: async (recap, tx) => {
      const copy = copyOf(recap);
      const next = parsedCopy(copy, { linkedinPost });
      if (next.linkedinPost === copy.linkedinPost) {
        throw conflict("The post is already this text.", { reason: "unchanged" });
      }
      const checked = await checkCopyFor(tx, recap, next);
      refuseLinks(checked);
      refuseUnchecked(recap, checked, ["linkedinPost"]);
      const choices: CustomerChoices = { ...recap.customerChoices, wording: "edited" };
      return {
        set: { copy: next, factCheck: checked, flagged: !checked.ok, customerChoices: choices },
        changes: [
          ...textChanges(copy, next),
          { field: "customerChoices.wording", from: recap.customerChoices?.wording ?? "drafted", to: "edited" },
        ],
      };
    },
  });
}

export const isTheme = (value: unknown): value is Theme => THEMES.includes(value as Theme);
export const isCardSize = (value: unknown): value is CardSize =>
  typeof value === "string" && Object.hasOwn(CARD_SIZES, value);

/** The cards' look and the size the customer's page shows first; the cards are rendered again for it. */
export function chooseLook(deps: ActionDeps, target: Target, look: { theme: string; firstCardSize: string }) {
  return applyRecapAction(deps, {
    ...target,
    action: "choose_look",
    plan: (recap) => {
      const errors = [
        ...(isTheme(look.theme) ? [] : [{ path: "theme", message: `must be one of ${THEMES.join(", ")}` }]),
        ...(isCardSize(look.firstCardSize)
          ? []
          : [{ path: "firstCardSize", message: `must be one of ${Object.keys(CARD_SIZES).join(", ")}` }]),
      ];
      if (errors.length > 0) throw validationFailed(errors);
      const before = recap.customerChoices ?? {};
      const changes: FieldChange[] = [];
      if (before.theme !== look.theme)
        changes.push({ field: "customerChoices.theme", from: before.theme ?? null, to: look.theme });
      if (before.firstCardSize !== look.firstCardSize)
        changes.push({
          field: "customerChoices.firstCardSize",
          from: before.firstCardSize ?? null,
          to: look.firstCardSize,
        });
      if (changes.length === 0) {
        throw conflict("This is already the recap's look.", { reason: "unchanged" });
      }
      const choices: CustomerChoices = {
        ...before,
        theme: look.theme as Theme,
        firstCardSize: look.firstCardSize as CardSize,
      };
      return { set: { customerChoices: choices }, changes };
    },
  });
}
