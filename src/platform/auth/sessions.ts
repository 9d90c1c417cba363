import { timingSafeEqual } from "node:crypto";
import { and, count, eq, gt, lt, or } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Deps } from "../../deps.js";
import type { Database } from "../db/client.js";
import type { AppEnv, SessionPrincipal } from "../http/app-env.js";
import { loginFailures, sessions, users } from "../tenancy/tenancy.schema.js";
import type { User } from "../tenancy/users.js";
import { randomToken, sha256 } from "./hashing.js";

export const SESSION_COOKIE = "or_session";

export async function startSession(deps: Pick<Deps, "db" | "clock" | "config">, user: User) {
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
export function loadSession(deps: Pick<Deps, "db" | "clock">): MiddlewareHandler<AppEnv> {
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

/** Constant-time comparison of a submitted form token with the expected one. */
export function tokensMatch(submitted: unknown, expected: string): boolean {
  if (typeof submitted !== "string") return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The client address as a hash: enough to rate-limit, nothing to leak. */
export function clientFingerprint(c: Context, address: string | undefined): string {
  return sha256(`${address ?? "unknown"}|${c.req.header("user-agent") ?? ""}`);
}

/** Seconds until another sign-in may be tried, or 0 when it may be tried now. */
export async function loginRetryAfter(
  deps: Pick<Deps, "db" | "clock" | "config">,
  email: string,
  clientHash: string,
): Promise<number> {
  const windowMs = deps.config.loginWindowMinutes * 60_000;
  const since = new Date(deps.clock.now().getTime() - windowMs);
  const [row] = await deps.db
    .select({ failures: count() })
    .from(loginFailures)
    .where(
      and(
        gt(loginFailures.failedAt, since),
        or(eq(loginFailures.email, email.toLowerCase()), eq(loginFailures.clientHash, clientHash)),
      ),
    );
  return (row?.failures ?? 0) >= deps.config.loginMaxFailures ? Math.ceil(windowMs / 1000) : 0;
}

export async function recordLoginFailure(deps: Pick<Deps, "db" | "clock">, email: string, clientHash: string) {
  await deps.db.insert(loginFailures).values({ email: email.toLowerCase(), clientHash, failedAt: deps.clock.now() });
}

export async function clearLoginFailures(db: Database, email: string, olderThan?: Date) {
  await db
    .delete(loginFailures)
    .where(
      or(eq(loginFailures.email, email.toLowerCase()), olderThan ? lt(loginFailures.failedAt, olderThan) : undefined),
    );
}
