import { afterAll, describe, expect, it } from "vitest";
import { pooledTemplateDrafting } from "../../src/drafting/drafting-pool.js";
import { visibleDigest } from "../../src/drafting/hidden-facts.js";
import { draftWithTemplates } from "../../src/drafting/template-drafting.js";
import { draftInput, generatedDigestSet, generatedRecaps } from "../support/digests.js";
import { loweredThreads } from "../support/thread-nice.js";

describe("template drafting in worker threads", () => {
  const pool = pooledTemplateDrafting({ threads: 2, nice: 11 });
  afterAll(() => pool.close());
  const now = new Date("2026-10-02T08:00:00Z");

  it("writes the same copy, fact-check and alternatives in a drafting thread as on the calling thread, in every language", async () => {
    const recaps = generatedRecaps(generatedDigestSet(4));
    // Side by side, as the draft jobs call it: two threads, answers matched to their requests.
    const pooled = await Promise.all(recaps.map(({ input }) => pool.draft(input, { now })));
    for (const [index, { input }] of recaps.entries()) {
      const inline = await draftWithTemplates(input, { now });
      expect(pooled[index]?.outcome, `${input.locale} ${input.variant}`).toEqual(inline.outcome);
      expect(pooled[index]?.attempts.map((attempt) => [attempt.drafter, attempt.outcome])).toEqual([
        ["template", "ok"],
      ]);
    }
    expect(new Set(recaps.map(({ input }) => input.locale)).size).toBe(5);
  });

  it("keeps a number the customer hid out of the copy written in a thread", async () => {
    const full = generatedRecaps(generatedDigestSet(1)).find(({ input }) => input.locale === "de")?.input;
    if (!full) throw new Error("no German recap in the generated set");
    const hiddenFactIds = [full.digest.facts[0]?.id ?? ""];
    const hidden = { digest: full.digest, hiddenFactIds };
    const visible = draftInput(visibleDigest(full.digest, hiddenFactIds), full.locale, full.variant);
    const { outcome } = await pool.draft(visible, { hidden, now });
    expect(outcome.factCheck.ok).toBe(true);
    expect(JSON.stringify(outcome.copy)).not.toContain(full.formatted[0]?.value ?? "\u0000");
    expect(outcome).toEqual((await draftWithTemplates(visible, { hidden, now })).outcome);
  });

  it("runs its threads at the nice value it was given: batch work yields the CPU to requests", () => {
    // The pool has drafted above, so both threads are running.
    expect(loweredThreads(11)).toEqual({ workers: 2, others: [] });
  });

  it("hands an error thrown in the thread back to the caller", async () => {
    const input = generatedRecaps(generatedDigestSet(1))[0]?.input;
    if (!input) throw new Error("no recap in the generated set");
    const broken = { ...input, digest: { ...input.digest, facts: "not a list" } } as unknown as typeof input;
    await expect(pool.draft(broken, { now })).rejects.toThrow();
  });
});
