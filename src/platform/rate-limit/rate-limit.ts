import type { MiddlewareHandler } from "hono";
import type { AppEnv, Principal } from "../http/app-env.js";
import { ProblemError } from "../http/problem.js";
import type { PlatformDeps } from "../platform-deps.js";
import { gcraPolicy, limitField, type Policy, policyField, type Verdict, verdict } from "./gcra.js";
import { countRequest, purgeExpiredRateLimits } from "./rate-limit-state.js";

/**
 * Operations that also spend the stricter `expensive` policy: each starts an LLM draft (and
 * generation computes a digest over the account's usage while the caller waits).
 */
const EXPENSIVE_OPERATIONS: readonly { method: string; path: RegExp }[] = [
  { method: "POST", path: /^\/v1\/recaps\/?$/ }, // generateRecap
  { method: "POST", path: /^\/v1\/recaps\/[^/]+\/redraft\/?$/ }, // requestRedraft
];

export function isExpensive(method: string, path: string): boolean {
  return EXPENSIVE_OPERATIONS.some((operation) => operation.method === method && operation.path.test(path));
}

/** Whose allowance a request spends: the API key (or a signed-in person, where sessions reach this). */
function subjectOf(principal: Principal): string {
  return principal.kind === "api_key" ? `key:${principal.keyId}` : `user:${principal.userId}`;
}

/** Expired rows are deleted at most this often per instance, off the request's path. */
const PURGE_EVERY_MS = 60_000;
/** While the database is failing, one warning per this interval is enough. */
const FAILURE_LOG_EVERY_MS = 10_000;

/**
 * Per-API-key rate limits shared by every instance through `rate_limit_state` (GCRA, one upsert
 * per policy per request). Every request spends the `default` policy; generation and redrafting
 * spend `expensive` first. Answers carry `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers-11); a refused request is 429 `rate_limited` with
 * Retry-After. If the database cannot answer, the request goes through (fail open). Mount after
 * the authentication that sets the principal.
 */
export function rateLimit(deps: Pick<PlatformDeps, "config" | "sql" | "log">): MiddlewareHandler<AppEnv> {
  const { default: defaultRate, expensive: expensiveRate } = deps.config.rateLimit;
  const defaultPolicy = defaultRate ? gcraPolicy("default", defaultRate) : null;
  const expensivePolicy = expensiveRate ? gcraPolicy("expensive", expensiveRate) : null;
  if (!defaultPolicy && !expensivePolicy) return (_c, next) => next();

  let lastPurge = performance.now();
  let lastFailureLog = Number.NEGATIVE_INFINITY;
  const purgeNow = () => {
    lastPurge = performance.now();
    purgeExpiredRateLimits(deps.sql).catch((error: unknown) =>
      deps.log.warn({ reason: describe(error) }, "could not purge expired rate-limit rows"),
    );
  };

  return async (c, next) => {
    const principal = c.get("principal") as Principal | undefined;
    if (!principal) return next();
    const expensive = expensivePolicy && isExpensive(c.req.method, c.req.path) ? expensivePolicy : null;
    // The stricter policy first: a request it refuses spends nothing from the default one.
    const policies = [expensive, defaultPolicy].filter((policy): policy is Policy => policy !== null);
    if (policies.length === 0) return next();

    const subject = subjectOf(principal);
    const verdicts: Verdict[] = [];
    try {
      for (const policy of policies) {
        const counted = await countRequest(deps.sql, `${policy.name}:${subject}`, policy);
        verdicts.push(verdict(policy, counted.allowed, counted.tatUs, counted.nowUs));
        if (!counted.allowed) break;
      }
    } catch (error) {
      // Fail open: the request's own queries will answer 503 if the database is really down.
      if (performance.now() - lastFailureLog >= FAILURE_LOG_EVERY_MS) {
        lastFailureLog = performance.now();
        deps.log.warn({ reason: describe(error) }, "rate limit unavailable; letting requests through");
      }
      return next();
    }
    if (performance.now() - lastPurge >= PURGE_EVERY_MS) purgeNow();

    // Listed `default` first, whichever was counted first.
    const fields = {
      "ratelimit-policy": policyField([...policies].sort((a, b) => rank(a) - rank(b))),
      ratelimit: limitField([...verdicts].sort((a, b) => rank(a.policy) - rank(b.policy))),
    };
    const refused = verdicts.find((v) => !v.allowed);
    if (refused) {
      throw new ProblemError({
        status: 429,
        code: "rate_limited",
        detail:
          `This API key has used its "${refused.policy.name}" allowance ` +
          `(${refused.policy.perMinute} requests a minute, bursts of ${refused.policy.burst}). ` +
          `Retry in ${refused.windowSeconds} s.`,
        headers: { ...fields, "retry-after": String(refused.windowSeconds) },
        extensions: { violatedPolicies: [refused.policy.name] },
      });
    }
    await next();
    c.header("ratelimit-policy", fields["ratelimit-policy"]);
    c.header("ratelimit", fields.ratelimit);
  };
}

const rank = (policy: Policy) => (policy.name === "default" ? 0 : 1);

/** The code and message only: a failed query's parameters stay out of the log. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}
