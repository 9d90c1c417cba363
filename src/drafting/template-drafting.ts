import { type DraftAttemptOutcome, type DraftOutcome, draftCopy } from "./draft-copy.js";
import type { DraftInput } from "./drafter.types.js";
import type { HiddenFacts } from "./hidden-facts.js";
import { createTemplateDrafter } from "./template-drafter.js";

/**
 * Writing a recap's copy from the templates and fact-checking it (the headline, the post and every
 * alternative wording, each number read back in the recap's language) is pure CPU work, about
 * 5–10 ms a recap. On the event loop it would hold up every request the process serves and cap a
 * worker's drafting at one core, so the service runs it in worker threads (drafting-pool.ts); the
 * inline version is for one-off work and for a baseline.
 */
export type TemplateDrafting = {
  draft(input: DraftInput, options: TemplateDraftOptions): Promise<TemplateDraftResult>;
  close(): Promise<void>;
};

export type TemplateDraftOptions = { hidden?: HiddenFacts; now: Date };

/** The copy and, for the caller's metrics, each drafter call's outcome and time. */
export type TemplateDraftResult = {
  outcome: DraftOutcome;
  attempts: { drafter: string; outcome: DraftAttemptOutcome; seconds: number }[];
};

const template = createTemplateDrafter();

/** The copy the templates write for `input`, checked as every drafter's copy is (draftCopy). */
export async function draftWithTemplates(
  input: DraftInput,
  { hidden, now }: TemplateDraftOptions,
): Promise<TemplateDraftResult> {
  const attempts: TemplateDraftResult["attempts"] = [];
  const outcome = await draftCopy(input, {
    drafter: template,
    template,
    llmAllowed: true,
    ...(hidden ? { hidden } : {}),
    now,
    onAttempt: (attempt) => attempts.push(attempt),
  });
  return { outcome, attempts };
}

/** Template drafting on the calling thread. */
export function inlineTemplateDrafting(): TemplateDrafting {
  return { draft: draftWithTemplates, async close() {} };
}
