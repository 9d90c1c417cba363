import type { RateLimitRate } from "../../config.js";

/**
 * GCRA (generic cell rate algorithm) in whole microseconds, the precision of the stored `tat`.
 * Each request pushes the key's theoretical arrival time (tat) one emission interval further; a
 * request is refused while that would put the tat more than `burst` intervals ahead of now.
 */
export type Policy = RateLimitRate & {
  /** The policy's name in the RateLimit fields and the stored key, e.g. "default". */
  name: string;
  /** Microseconds one request occupies: a minute divided by the rate. */
  intervalUs: number;
  /** How far ahead of now the tat may run: `burst` intervals. */
  toleranceUs: number;
};

export function gcraPolicy(name: string, rate: RateLimitRate): Policy {
  const intervalUs = Math.max(1, Math.round(60_000_000 / rate.perMinute));
  return { name, ...rate, intervalUs, toleranceUs: intervalUs * rate.burst };
}

/** What one policy said about one request, ready for the RateLimit fields. */
export type Verdict = {
  policy: Policy;
  allowed: boolean;
  /** Requests that could be sent right now (the `r` parameter). */
  remaining: number;
  /**
   * Seconds of the effective window (`t`): until the whole burst is available again when allowed;
   * when refused, until the next request may pass, which is also Retry-After.
   */
  windowSeconds: number;
};

const ceilSeconds = (us: number) => Math.max(0, Math.ceil(us / 1_000_000));

/**
 * Reads the verdict from the database's answer: `tatUs` is the new tat when the request was
 * counted (`allowed`), or the current one when it was refused; `nowUs` is the database's clock.
 */
export function verdict(policy: Policy, allowed: boolean, tatUs: number, nowUs: number): Verdict {
  if (allowed) {
    const remaining = Math.floor((nowUs + policy.toleranceUs - tatUs) / policy.intervalUs);
    return {
      policy,
      allowed,
      remaining: Math.min(policy.burst, Math.max(0, remaining)),
      windowSeconds: ceilSeconds(tatUs - nowUs),
    };
  }
  // The next request passes once tat + interval - tolerance <= now.
  const retryUs = tatUs + policy.intervalUs - policy.toleranceUs - nowUs;
  return { policy, allowed, remaining: 0, windowSeconds: Math.max(1, ceilSeconds(retryUs)) };
}

/**
 * `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers-11, section 3). A GCRA policy is a
 * bucket of `burst` requests that refills in `burst` intervals, so q is the burst and w the refill
 * time in whole seconds: q/w is the sustained rate (600 a minute, burst unset: q=600;w=60).
 */
export function policyField(policies: readonly Policy[]): string {
  return policies
    .map((policy) => `"${policy.name}";q=${policy.burst};w=${Math.max(1, Math.round(policy.toleranceUs / 1_000_000))}`)
    .join(", ");
}

/** `RateLimit` (same draft, section 4): the available quota `r` and the effective window `t`. */
export function limitField(verdicts: readonly Verdict[]): string {
  return verdicts.map((v) => `"${v.policy.name}";r=${v.remaining};t=${v.windowSeconds}`).join(", ");
}
