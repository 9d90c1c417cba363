import { and, eq } from "drizzle-orm";
import { AppError } from "../platform/errors.js";
import type { JobDefinition } from "../platform/queue/queue.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { accounts } from "../usage/usage.schema.js";
import { asSystem, type DraftingJobDeps, SYSTEM, withoutWording, writeCopy } from "./draft.job.js";
import { RECAP_HIDDEN_REDRAFT_JOB } from "./generate.js";
import { applyRecapAction } from "./recap-actions.js";
import { copyIsUpdating } from "./recaps.js";
import { recaps } from "./recaps.schema.js";

const FLAGGED = "re-drafted without the numbers the customer hid, and flagged: a reviewer looks first";

type HiddenRedraftData = { recapId: string; tenantId: string };

const sameSet = (a: readonly string[], b: readonly string[]) =>
  [...new Set(a)].sort().join("\n") === [...new Set(b)].sort().join("\n");

/**
 * Re-drafts an approved recap's copy after the end customer hid (or showed again) a number, so no
 * public text still tells it. A clean re-draft keeps the recap approved and renders new cards (the
 * approved state's reaction), and the customer reads both before publishing; a flagged one (the
 * model kept writing a hidden number and the templates stood in) goes back to review first. Idempotent: a recap
 * whose copy already fits its hidden set is left alone, and a copy drafted for a set the customer
 * has changed since is thrown away (the job for the newer set writes instead).
 */
export function recapHiddenRedraftJob(deps: DraftingJobDeps): JobDefinition<HiddenRedraftData> {
  return {
    name: RECAP_HIDDEN_REDRAFT_JOB,
    queue: { retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
    concurrency: 2,
    handle: (data) => redraftWithoutHidden(deps, data),
  };
}

export async function redraftWithoutHidden(
  deps: Omit<DraftingJobDeps, "log">,
  { recapId, tenantId }: HiddenRedraftData,
): Promise<void> {
  const [row] = await deps.db
    .select({ recap: recaps, accountName: accounts.name })
    .from(recaps)
    .innerJoin(accounts, eq(accounts.id, recaps.accountId))
    .where(and(eq(recaps.id, recapId), eq(recaps.tenantId, tenantId)));
  if (row?.recap.state !== "approved" || !copyIsUpdating(row.recap)) return;
  const tenant = await getTenant(deps.db, tenantId);
  const written = await writeCopy(deps, row.recap, { tenant, accountName: row.accountName }, null);
  await asSystem(() =>
    applyRecapAction(deps, {
      tenantId,
      recapId,
      // Like any draft, a flagged one goes to a reviewer before anyone may publish it.
      action: written.flagged ? "copy_updated_flagged" : "copy_updated",
      actor: SYSTEM,
      expectedVersion: null,
      reason: written.flagged ? FLAGGED : null,
      plan: (locked) => {
        if (!sameSet(locked.hiddenFactIds, written.hiddenFactIds)) {
          throw new AppError("conflict", "The hidden numbers changed meanwhile.");
        }
        return {
          set: {
            copy: written.copy,
            copyAlternatives: written.alternatives,
            customerChoices: withoutWording(locked),
            factCheck: written.factCheck,
            flagged: written.flagged,
            drafting: written.record,
            copyHiddenFactIds: written.hiddenFactIds,
            ...(written.flagged ? { stateReason: FLAGGED } : {}),
          },
          changes: [
            { field: "copy", from: locked.copy, to: written.copy },
            { field: "drafting", from: null, to: { drafter: written.record.drafter, flags: written.record.flags } },
          ],
        };
      },
    }),
  );
}
