import { eq } from "drizzle-orm";
import { copyMatchesDigest, type RecapCopy, recapCopySchema } from "../drafting/copy.schema.js";
import { allowedFor, printedNames } from "../drafting/draft-copy.js";
import { describeMismatches, type FactCheckResult } from "../drafting/fact-check.js";
import { factCheckHiding, hiddenFactLeaksIn, visibleDigest } from "../drafting/hidden-facts.js";
import { stripInvisibleDeep } from "../drafting/sanitize.js";
import type { DbExecutor } from "../platform/db/client.js";
import { AppError, validationFailed } from "../platform/errors.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { accounts } from "../usage/usage.schema.js";
import { RECAP_DRAFT_JOB, RECAP_HIDDEN_REDRAFT_JOB } from "./generate.js";
import { type Actor, applyRecapAction, type RecapActionDeps } from "./recap-actions.js";
import type { FieldChange } from "./recap-events.schema.js";
import type { Recap } from "./recaps.js";

type ActionDeps = RecapActionDeps;
type Target = { tenantId: string; recapId: string; actor: Actor; expectedVersion: number };

const momentOf = (recap: Recap) => (recap.origin.type === "trigger" ? (recap.origin.ruleName ?? null) : null);

/** The numbers copy about this recap may print (the digest's, the names' and the milestone's), and the names it may print. */
async function allowedForRecap(tx: DbExecutor, recap: Recap & { digest: { status: "ok" } }) {
  const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, recap.accountId));
  const tenant = await getTenant(tx, recap.tenantId);
  const names = {
    account: { name: account?.name ?? "" },
    tenant: { name: tenant.name, productName: tenant.brand.productName },
  };
  const allowed = allowedFor({
    digest: recap.digest,
    ...names,
    milestone: recap.origin.type === "trigger" ? recap.origin.detail : null,
    moment: momentOf(recap),
  });
  return { allowed, names: printedNames({ ...names, moment: momentOf(recap) }) };
}

/** The fact-check of some copy for this recap, with the names and milestone its numbers may quote. */
export async function checkCopyFor(tx: DbExecutor, recap: Recap, copy: RecapCopy): Promise<FactCheckResult> {
  if (recap.digest.status !== "ok") throw new AppError("conflict", "No facts.");
  const digest = recap.digest;
  const { allowed, names } = await allowedForRecap(tx, { ...recap, digest });
  return factCheckHiding(copy, allowed, recap.locale, { digest, hiddenFactIds: recap.hiddenFactIds }, { names });
}

/** The facts the copy may tell: the digest's, less those the end customer hid. */
function visibleFactIds(recap: Recap): string[] {
  if (recap.digest.status !== "ok") return [];
  return visibleDigest(recap.digest, recap.hiddenFactIds).facts.map((fact) => fact.id);
}

/**
 * A link is never saved, half-way or not: unlike a number, it cannot be fixed by an override and
 * would go out with the next approval. Refused with the field and the link, like a schema error.
 */
export function refuseLinks(checked: FactCheckResult) {
  const links = (checked.problems ?? []).filter((problem) => problem.rule === "link");
  if (links.length > 0)
    throw validationFailed(
      links.map((link) => ({ path: link.field, message: `"${link.text}" ${link.reason}` })),
      "The copy must not contain links or web addresses.",
    );
}

/**
 * A reviewer's edit: the fields sent replace the current ones, the whole copy must still fit the
 * schema and the digest, and every number is checked again. A number that matches no fact does
 * not stop the edit from being saved (the reviewer may be half-way), but it blocks approval.
 */
export async function editCopy(deps: ActionDeps, target: Target, fields: Partial<RecapCopy>) {
  return applyRecapAction(deps, {
    ...target,
    action: "edit",
    plan: async (recap, tx) => {
      if (!recap.copy) throw new AppError("conflict", "The recap has no copy yet.");
      const merged = stripInvisibleDeep({ ...recap.copy, ...fields });
      const parsed = recapCopySchema.safeParse(merged);
      if (!parsed.success) {
        throw validationFailed(
          parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
        );
      }
      const mismatched = copyMatchesDigest(parsed.data, visibleFactIds(recap));
      if (mismatched.length > 0) throw validationFailed(mismatched.map((message) => ({ path: "highlights", message })));
      const checked = await checkCopyFor(tx, recap, parsed.data);
      refuseLinks(checked);
      const changes: FieldChange[] = (Object.keys(fields) as (keyof RecapCopy)[])
        .filter((field) => JSON.stringify(recap.copy?.[field]) !== JSON.stringify(parsed.data[field]))
        .map((field) => ({ field: `copy.${field}`, from: recap.copy?.[field], to: parsed.data[field] }));
      return { set: { copy: parsed.data, factCheck: checked, flagged: !checked.ok }, changes };
    },
  });
}

/**
 * Approval needs a clean fact-check. A reviewer who knows better (a number quoted from the
 * customer's own press release, say) may override with a reason, which the audit trail keeps.
 */
export async function approveRecap(deps: ActionDeps, target: Target, override: { reason: string } | null) {
  return applyRecapAction(deps, {
    ...target,
    action: "approve",
    reason: override ? `fact-check overridden: ${override.reason}` : null,
    plan: (recap) => {
      if (!recap.copy) throw new AppError("conflict", "The recap has no copy yet.");
      if (recap.factCheck && !recap.factCheck.ok && !override) {
        throw new AppError(
          "fact_check_failed",
          "The copy did not pass the fact-check. Fix it, or approve with an override and a reason: " +
            describeMismatches(recap.factCheck).slice(0, 3).join(" "),
          { details: { mismatches: recap.factCheck.mismatches } },
        );
      }
      return { changes: override ? [{ field: "factCheck.override", from: null, to: override.reason }] : [] };
    },
  });
}

export function rejectRecap(deps: ActionDeps, target: Target, reason: string) {
  return applyRecapAction(deps, { ...target, action: "reject", reason });
}

/** Sends the recap back to the drafter with the reviewer's instructions (an LLM reads them). */
export async function requestRedraft(deps: ActionDeps, target: Target, instructions: string) {
  const recap = await applyRecapAction(deps, { ...target, action: "request_redraft", reason: instructions });
  await deps.queue.enqueue(RECAP_DRAFT_JOB, { recapId: recap.id, tenantId: recap.tenantId, instructions });
  return recap;
}

/** The hidden set asked for, checked against the recap's facts: unknown ids and "all of them" are refused. */
function checkedHiddenSet(recap: Recap, hiddenFactIds: readonly string[]): string[] {
  const factIds = recap.digest.status === "ok" ? recap.digest.facts.map((fact) => fact.id) : [];
  const hidden = [...new Set(hiddenFactIds)].sort();
  const unknown = hidden.filter((id) => !factIds.includes(id));
  if (unknown.length > 0) {
    throw validationFailed(
      unknown.map((id) => ({ path: "hiddenFactIds", message: `"${id}" is not a fact of this recap` })),
    );
  }
  if (factIds.length > 0 && hidden.length >= factIds.length) {
    throw validationFailed([{ path: "hiddenFactIds", message: "would hide every number; unpublish instead" }]);
  }
  return hidden;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  [...new Set(a)].sort().join("\n") === [...new Set(b)].sort().join("\n");

/**
 * The end customer hides numbers (or shows them again) before publishing. Hiding takes a number
 * out of every public text, not only off the card: the copy is re-drafted without it by a job
 * enqueued in the same transaction, and publishing waits until the new copy and cards exist.
 */
export async function hideNumbers(deps: ActionDeps, target: Target, hiddenFactIds: readonly string[]) {
  return applyRecapAction(deps, {
    ...target,
    action: "hide_numbers",
    plan: async (recap, tx) => {
      const hidden = checkedHiddenSet(recap, hiddenFactIds);
      if (sameSet(hidden, recap.hiddenFactIds)) {
        throw new AppError("conflict", "These are already the hidden numbers; nothing changed.");
      }
      await deps.queue.enqueue(RECAP_HIDDEN_REDRAFT_JOB, { recapId: recap.id, tenantId: recap.tenantId }, { tx });
      return {
        set: { hiddenFactIds: hidden },
        changes: [{ field: "hiddenFactIds", from: recap.hiddenFactIds, to: hidden }],
      };
    },
  });
}

/** Why a recap may not be published now: a code the edge maps, and words for the customer. */
export type PublishBlocker = { code: "copy_updating" | "hidden_fact_shown"; detail: string };

/** Asked inside the publication's transaction, with the row locked (publishing/ adds the cards' check). */
export type PublishCheck = (tx: DbExecutor, recap: Recap) => Promise<PublishBlocker | null>;

export const COPY_UPDATING: PublishBlocker = {
  code: "copy_updating",
  detail: "The text is being re-written without the hidden numbers. Read the new text and card, then publish.",
};

/** The copy still shows a number the customer hid (the re-draft kept it), or null. */
export async function hiddenFactShown(tx: DbExecutor, recap: Recap): Promise<PublishBlocker | null> {
  if (recap.hiddenFactIds.length === 0 || !recap.copy || recap.digest.status !== "ok") return null;
  const digest = recap.digest;
  const { allowed } = await allowedForRecap(tx, { ...recap, digest });
  const leaks = hiddenFactLeaksIn(recap.copy, allowed, recap.locale, { digest, hiddenFactIds: recap.hiddenFactIds });
  if (leaks.length === 0) return null;
  return {
    code: "hidden_fact_shown",
    detail: `The text still shows a hidden number (${leaks.map((leak) => `${leak.field}: "${leak.text}"`).join(", ")}).`,
  };
}

/**
 * Publishing is the end customer's consent: the record keeps when, who, the exact text they
 * agreed to and the numbers they chose to hide. `hiddenFactIds`, when sent, must be the set the
 * copy was re-drafted for (hideNumbers): consent is to the text the customer has read. `blocker`
 * says why it may not be published yet (publishing/publish-recap.ts, which also makes the cards).
 */
export async function publishRecap(
  deps: ActionDeps,
  target: Target,
  hiddenFactIds: string[] | undefined,
  blocker: PublishCheck,
) {
  return applyRecapAction(deps, {
    ...target,
    action: "publish",
    plan: async (recap, tx) => {
      const hidden = hiddenFactIds ? checkedHiddenSet(recap, hiddenFactIds) : [...recap.hiddenFactIds].sort();
      if (!sameSet(hidden, recap.hiddenFactIds)) {
        throw new AppError(
          "hidden_facts_changed",
          "These are not the numbers hidden now. Hide them first (PUT /v1/recaps/{id}/hidden-facts): " +
            "the text is re-written without them; publish once it is ready.",
          { details: { hiddenFactIds: recap.hiddenFactIds } },
        );
      }
      const blocked = await blocker(tx, recap);
      if (blocked) throw new AppError(blocked.code, blocked.detail);
      return {
        // The consent keeps every choice the customer made: the exact text (their wording or edit),
        // the numbers hidden, the look and the card size shown first.
        changes: [
          {
            field: "consent",
            from: null,
            to: { agreedTo: recap.copy, hiddenFactIds: recap.hiddenFactIds, choices: recap.customerChoices ?? {} },
          },
        ],
      };
    },
  });
}

export function unpublishRecap(deps: ActionDeps, target: Target, reason: string | null) {
  return applyRecapAction(deps, { ...target, action: "unpublish", reason });
}
