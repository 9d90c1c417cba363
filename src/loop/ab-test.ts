/**
 * Two-proportion z-test for the copy variants' loop conversion rates (published recaps that brought
 * at least one signup), and the sample size per variant that a difference of the observed size
 * needs to be detected at the usual 5 % significance and 80 % power.
 */

export type ProportionSample = { successes: number; trials: number };

export type VariantComparison = {
  a: ProportionSample & { rate: number | null };
  b: ProportionSample & { rate: number | null };
  /** B's rate minus A's, in absolute points (0.05 = five percentage points). */
  difference: number | null;
  z: number | null;
  /** Two-sided p-value of "the rates are equal". */
  pValue: number | null;
  significant: boolean;
  /** Recaps per variant needed to detect the observed difference; null when there is no difference. */
  sampleSizePerVariant: number | null;
  /** How many more published recaps each variant still needs. */
  additionalNeeded: { a: number | null; b: number | null };
  statement: string;
};

const ALPHA = 0.05;
const Z_ALPHA_TWO_SIDED = 1.959963984540054; // Φ⁻¹(0.975)
const Z_POWER_80 = 0.8416212335729143; // Φ⁻¹(0.80)

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), ample for p-values. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign * (1 - poly * Math.exp(-x * x));
}

export const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/** Fleiss' formula without continuity correction, per group, for equal group sizes. */
export function sampleSizePerGroup(p1: number, p2: number): number | null {
  const delta = Math.abs(p2 - p1);
  if (delta === 0) return null;
  const pooled = (p1 + p2) / 2;
  const numerator =
    Z_ALPHA_TWO_SIDED * Math.sqrt(2 * pooled * (1 - pooled)) + Z_POWER_80 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((numerator * numerator) / (delta * delta));
}

const rateOf = ({ successes, trials }: ProportionSample) => (trials === 0 ? null : successes / trials);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

export function compareVariants(a: ProportionSample, b: ProportionSample): VariantComparison {
  const rateA = rateOf(a);
  const rateB = rateOf(b);
  const base = { a: { ...a, rate: rateA }, b: { ...b, rate: rateB } };
  if (rateA === null || rateB === null) {
    return {
      ...base,
      difference: null,
      z: null,
      pValue: null,
      significant: false,
      sampleSizePerVariant: null,
      additionalNeeded: { a: null, b: null },
      statement: "Both variants need published recaps before they can be compared.",
    };
  }
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const difference = rateB - rateA;
  // All successes or all failures in both groups: no variance, no evidence of a difference.
  const z = standardError === 0 ? 0 : difference / standardError;
  const pValue = 2 * (1 - normalCdf(Math.abs(z)));
  const needed = sampleSizePerGroup(rateA, rateB);
  const significant = pValue < ALPHA;
  const statement = significant
    ? `Variant ${difference > 0 ? "B" : "A"} completes more loops (${percent(rateB)} vs ${percent(rateA)}, p = ${pValue.toFixed(3)}).`
    : needed === null
      ? `No difference between the variants so far (${percent(rateA)} each).`
      : `Not significant yet (${percent(rateA)} A vs ${percent(rateB)} B, p = ${pValue.toFixed(3)}): about ${needed} published recaps per variant are needed to tell a difference this size.`;
  return {
    ...base,
    difference: Math.round(difference * 10_000) / 10_000,
    z: Math.round(z * 1000) / 1000,
    pValue: Math.round(pValue * 10_000) / 10_000,
    significant,
    sampleSizePerVariant: needed,
    additionalNeeded: {
      a: needed === null ? null : Math.max(0, needed - a.trials),
      b: needed === null ? null : Math.max(0, needed - b.trials),
    },
    statement,
  };
}
