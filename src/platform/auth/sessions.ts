import { timingSafeEqual } from "node:crypto";
import { and, desc, eq, gt, lt, or, type SQL, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Database } from "../db/client.js";
import type { AppEnv, SessionPrincipal } from "../http/app-env.js";
import type { PlatformDeps } from "../platform-deps.js";
import { loginFailures, sessions, users } from "../tenancy/tenancy.schema.js";
import type { User } from "../tenancy/users.js";
import { randomToken, sha256 } from "./hashing.js";

export const SESSION_COOKIE = "or_session";

export async function startSession(deps: Pick<PlatformDeps, "db" | "clock" | "config">, user: User) {
  const token = randomToken();
  const expiresAt = new Date(deps.clock.now().getTime() + deps.config.sessionTtlHours * 3_600_000);
  await deps.db.insert(sessions).values({
    idHash: sha256(token),
    userId: user.id,
    tenantId: user.tenantId,
    csrfToken: randomToken(),
    expiresAt,
  });
  return { token, expiresAt };
}

export async function endSession(db: Database, token: string) {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
}

/** Sets `session` when the cookie names a live session of an enabled user. */
export function loadSession(deps: Pick<PlatformDeps, "db" | "clock">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    c.set("session", token ? await findSession(deps.db, token, deps.clock.now()) : undefined);
    await next();
  };
}

async function findSession(db: Database, token: string, now: Date): Promise<SessionPrincipal | undefined> {
  const [row] = await db
    .select({
      tenantId: sessions.tenantId,
      userId: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      csrfToken: sessions.csrfToken,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(token)), gt(sessions.expiresAt, now)));
  if (!row || row.disabledAt) return undefined;
  const { disabledAt: _disabled, ...principal } = row;
  return { kind: "session", ...principal };
}

/** Constant-time comparison of a submitted form token with the expected one; an empty token never matches. */
export function tokensMatch(submitted: unknown, expected: string): boolean {
  if (typeof submitted !== "string" || expected.length === 0) return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The client address as a hash: enough to rate-limit, nothing to leak. */
export function clientFingerprint(c: Context, address: string | undefined): string {
  return sha256(`${address ?? "unknown"}|${c.req.header("user-agent") ?? ""}`);
}

/**
 * One client (address and user agent) may fail this many times the per-e-mail allowance, across
 * all e-mails, before it is refused too. The client limit is looser than the e-mail one because
 * many people can share an address (an office, a proxy) and must not lock each other out.
 */
export const CLIENT_FAILURE_FACTOR = 10;

export type LoginAttempt = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * Claims one sign-in try for this e-mail and client. An allowed try is recorded as a failure
 * before the password is checked, in the same transaction as the count and under a lock on the
 * e-mail, so parallel requests cannot all slip under the limit; a successful sign-in then clears
 * it with clearLoginFailures. A refused try records nothing, so hammering does not extend the lock.
 */
export async function claimLoginAttempt(
  deps: Pick<PlatformDeps, "db" | "clock" | "config">,
  email: string,
  clientHash: string,
): Promise<LoginAttempt> {
  const key = email.toLowerCase();
  const now = deps.clock.now();
  const windowMs = deps.config.loginWindowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs);
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${key}`}, 0))`);
    // The failure whose expiry brings the count back under the limit: the limit-th newest one.
    const blockingFailure = async (where: SQL | undefined, limit: number) => {
      const [row] = await tx
        .select({ failedAt: loginFailures.failedAt })
        .from(loginFailures)
        .where(and(gt(loginFailures.failedAt, since), where))
        .orderBy(desc(loginFailures.failedAt))
        .limit(1)
        .offset(limit - 1);
      return row ? Math.max(1, Math.ceil((row.failedAt.getTime() + windowMs - now.getTime()) / 1000)) : 0;
    };
    const retryAfter = Math.max(
      await blockingFailure(eq(loginFailures.email, key), deps.config.loginMaxFailures),
      await blockingFailure(
        eq(loginFailures.clientHash, clientHash),
        deps.config.loginMaxFailures * CLIENT_FAILURE_FACTOR,
      ),
    );
    if (retryAfter > 0) return { allowed: false, retryAfter };
    await tx.insert(loginFailures).values({ email: key, clientHash, failedAt: now });
    return { allowed: true };
  });
}

export async function clearLoginFailures(db: Database, email: string, olderThan?: Date) {
  await db
    .delete(loginFailures)
    .where(
      or(eq(loginFailures.email, email.toLowerCase()), olderThan ? lt(loginFailures.failedAt, olderThan) : undefined),
    );
}
