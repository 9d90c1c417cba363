/**
 * 95 % confidence intervals for the loop's KPIs, so a handful of recaps cannot pass for a verdict.
 * Both are written by hand (a few lines each) rather than pulling a statistics library for two formulas.
 */

export type Interval = { low: number; high: number };

const Z_95 = 1.959963984540054; // Φ⁻¹(0.975)
const TAIL = 0.025; // each side of a two-sided 95 % interval

/**
 * Wilson score interval for a proportion (successes of trials): unlike the plain p ± z·√(p(1−p)/n) it
 * stays inside [0, 1] and does not collapse to zero width at 0 or n successes. Null without trials.
 */
export function wilsonInterval(successes: number, trials: number): Interval | null {
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = Z_95 * Z_95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (Z_95 / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 or n successes the bound is exactly 0 or 1; floating point would leave ±1e-17.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    high: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x ≥ 1 by the Lanczos approximation (g = 7; relative error about 1e-15). */
function logGamma(x: number): number {
  const shifted = x - 1;
  let series = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) series += (LANCZOS[i] as number) / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/**
 * ln P(X ≤ k) for X ~ Poisson(mean), summed in log space so large counts do not underflow. Terms more
 * than 10 standard deviations (plus 20) away from the mean add less than 1e-20 of the total, far below
 * double precision, so the sum runs over that window only: a count of 100,000 costs about 6,000 terms
 * per step of the bisection instead of 100,000.
 */
function logPoissonCdf(k: number, mean: number): number {
  const logMean = Math.log(mean);
  const spread = 10 * Math.sqrt(mean) + 20;
  const first = Math.max(0, Math.floor(Math.min(k, mean) - spread));
  const last = Math.min(k, Math.ceil(mean + spread));
  let logTerm = -mean + first * logMean - logGamma(first + 1); // ln P(X = first)
  let logSum = logTerm;
  for (let i = first + 1; i <= last; i++) {
    logTerm += logMean - Math.log(i);
    const high = Math.max(logSum, logTerm);
    logSum = high + Math.log(Math.exp(logSum - high) + Math.exp(logTerm - high));
  }
  return logSum;
}

/** The mean in (0, ∞) where `decreasing(mean)` falls to `target`, by bisection (the CDF is monotone in the mean). */
function solveMean(decreasing: (mean: number) => number, target: number): number {
  let low = 0;
  let high = 1;
  while (decreasing(high) > target) high *= 2;
  for (let step = 0; step < 200 && high - low > 1e-12 * high; step++) {
    const middle = (low + high) / 2;
    if (decreasing(middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * Exact (Garwood) 95 % interval for a Poisson mean from one observed count: the lower bound is the mean
 * under which seeing `count` or more has probability 2.5 %, the upper the mean under which seeing
 * `count` or fewer has 2.5 %. This equals the chi-square form [χ²(0.025; 2k)/2, χ²(0.975; 2k+2)/2];
 * solving the Poisson sums directly needs no gamma-quantile code. Lower bound 0 for a count of 0.
 */
export function poissonMeanInterval(count: number): Interval {
  const atMostCount = (mean: number) => Math.exp(logPoissonCdf(count, mean));
  const high = solveMean(atMostCount, TAIL);
  if (count === 0) return { low: 0, high };
  const belowCount = (mean: number) => Math.exp(logPoissonCdf(count - 1, mean)); // 1 − P(X ≥ count)
  return { low: solveMean(belowCount, 1 - TAIL), high };
}

/**
 * Signups per published recap: the recaps' signups summed are treated as one Poisson count over
 * `recaps` exposures, so the interval is the count's exact interval divided by the recaps. Null without recaps.
 */
export function multiplierInterval(signups: number, recaps: number): Interval | null {
  if (recaps === 0) return null;
  const { low, high } = poissonMeanInterval(signups);
  return { low: low / recaps, high: high / recaps };
}
