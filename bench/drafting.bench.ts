import { copyTexts, type RecapCopy } from "../src/drafting/copy.schema.js";
import { allowedNumbers, factCheck } from "../src/drafting/fact-check.js";
import { createTemplateDrafter } from "../src/drafting/template-drafter.js";
import { formatFact } from "../src/i18n/format.js";
import { generatedDigestSet, generatedRecaps } from "../tests/support/digests.js";
// Types only: support.js loads PostgreSQL and the renderer, which this CPU-only benchmark does not need.
import type { BenchRow } from "./support.js";

/**
 * The template drafter and the fact-check, per recap, on the recaps tests/drafting/fact-check-template
 * checks: generated digests (1–6 metrics, five currencies, bands, ROI) × 5 locales × 2 variants.
 *
 * Baselines, measured on the same recaps in the same loop:
 * - drafting: formatting the recap's facts (formatFact for every fact, in its locale and currency).
 *   The recap job does exactly this before it drafts (src/recaps/draft.job.ts), and any drafter has
 *   to print the same localized numbers, so it is the floor of writing localized copy; the ratio is
 *   what choosing the words, filling the templates and validating the copy cost on top of it.
 * - fact-check (allowedNumbers + factCheck, as draftCopy runs them): one bare regex pass for digit
 *   runs over the same copy's texts. Finding the digits is the least any number check must do; the
 *   ratio is what reading them as localized numbers and matching them to facts costs on top.
 *
 * Each recap's figure and baseline are timed one right after the other with process.hrtime.bigint(),
 * so drift and GC fall on both alike; a warm-up round (untimed) lets the JIT settle first. Timer
 * overhead (a few tens of ns per reading) is in both and is small beside the microseconds measured.
 */

const DIGESTS = Number(process.env.BENCH_DRAFTING_DIGESTS ?? 200);
const ROUNDS = Number(process.env.BENCH_DRAFTING_ROUNDS ?? 5);
const DIGIT_RUN = /\d+/g;

const micros = (from: bigint, to: bigint) => Number(to - from) / 1000;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
/** Nearest rank, as bench/support.ts's percentile. */
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1]!;
const round1 = (value: number) => Math.round(value * 10) / 10;

type Samples = { draft: number[]; format: number[]; check: number[]; scan: number[] };

export async function benchDrafting(): Promise<BenchRow[]> {
  const recaps = generatedRecaps(generatedDigestSet(DIGESTS));
  const drafter = createTemplateDrafter();
  // The copy to check, drafted once up front; every one must pass, or the check timed is not the real path.
  const copies: RecapCopy[] = [];
  for (const { index, input } of recaps) {
    const attempt = await drafter.draft(input, []);
    if (!attempt.ok) throw new Error(`digest ${index} ${input.locale} ${input.variant}: ${attempt.reasons.join("; ")}`);
    copies.push(attempt.copy);
  }
  const texts = copies.map((copy) => copyTexts(copy).map(({ text }) => text));

  let sink = 0; // keeps every result alive, so no work can be optimized away
  const round = async (samples: Samples | null) => {
    for (const [at, { input, names }] of recaps.entries()) {
      const { digest, locale } = input;
      const t0 = process.hrtime.bigint();
      const formatted = digest.facts.map((fact) => formatFact(fact, locale, digest.currency));
      const t1 = process.hrtime.bigint();
      const attempt = await drafter.draft(input, []);
      const t2 = process.hrtime.bigint();
      let digits = 0;
      for (const text of texts[at]!) digits += text.match(DIGIT_RUN)?.length ?? 0;
      const t3 = process.hrtime.bigint();
      const result = factCheck(copies[at]!, allowedNumbers(digest, names), locale);
      const t4 = process.hrtime.bigint();
      if (!attempt.ok || !result.ok) throw new Error(`digest ${at}: the drafter or the fact-check failed`);
      sink += formatted.length + attempt.copy.headline.length + digits + result.numbers.length;
      if (samples) {
        samples.format.push(micros(t0, t1));
        samples.draft.push(micros(t1, t2));
        samples.scan.push(micros(t2, t3));
        samples.check.push(micros(t3, t4));
      }
    }
  };

  await round(null);
  const samples: Samples = { draft: [], format: [], check: [], scan: [] };
  for (let index = 0; index < ROUNDS; index++) await round(samples);
  if (sink === 0) throw new Error("nothing was measured");

  const size = `${DIGESTS} digests × 5 locales × 2 variants, ${ROUNDS} rounds`;
  const row = (
    name: string,
    figure: number[],
    baselineName: string,
    baseline: number[],
    stat: "mean" | "p95",
    aim?: string,
  ): BenchRow => {
    const value = stat === "mean" ? mean(figure) : p95(figure);
    const baselineValue = stat === "mean" ? mean(baseline) : p95(baseline);
    return {
      name: `${name}, ${stat} per recap (${size})`,
      value: round1(value),
      unit: "µs",
      baselineName: `${baselineName}, ${stat}`,
      baselineValue: round1(baselineValue),
      ratio: baselineValue / value,
      ...(aim ? { aim } : {}),
    };
  };
  const drafting = "template drafter (draft: templates, schema, fact ids)";
  const formatting = "formatFact for every fact of the recap";
  const checking = "fact-check (allowedNumbers + factCheck) of the template copy";
  const scanning = "one /\\d+/g scan of the same copy's texts";
  return [
    row(drafting, samples.draft, formatting, samples.format, "mean"),
    row(drafting, samples.draft, formatting, samples.format, "p95"),
    // tests/drafting/fact-check.test.ts ("speed") holds a full copy's check under 2 ms on average.
    row(checking, samples.check, scanning, samples.scan, "mean", "< 2 ms"),
    row(checking, samples.check, scanning, samples.scan, "p95"),
  ];
}
