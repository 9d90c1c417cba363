import { and, eq, lt, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { assertRouteScopes } from "../auth/api-key-auth.js";
import { sha256 } from "../auth/hashing.js";
import type { Database } from "../db/client.js";
import type { AppEnv, Principal } from "../http/app-env.js";
import { ProblemError } from "../http/problem.js";
import type { PlatformDeps } from "../platform-deps.js";
import type { JobDefinition } from "../queue/queue.js";
import { idempotencyKeys } from "./idempotency.schema.js";

const RETENTION_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying; hop-by-hop and per-request ones are not. */
const REPLAYED_HEADERS = ["content-type", "location", "etag"];

/**
 * Stripe semantics for `Idempotency-Key` on POST: the same key with the same request replays the
 * stored response for 24 hours; with a different request it is 422; while the first request is
 * still running a duplicate gets 409. Server errors and refusals (NOT_STORED) are not stored, so a
 * retry can succeed.
 *
 * Runs after authentication, and checks the matched route's scopes itself before it looks at any
 * record: a caller the route would refuse learns nothing and gets its 403. A record belongs to the
 * caller that made it (the API key, or the signed-in user) and is replayed only to that caller;
 * another caller's request with the same key simply runs. A response that shows a secret once
 * (withholdFromReplay) is not stored: a retry gets 409 secret_already_shown.
 */
export function idempotency(deps: Pick<PlatformDeps, "db" | "clock">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined || c.req.method !== "POST") return next();
    if (!KEY_PATTERN.test(key)) {
      throw new ProblemError({
        status: 400,
        code: "validation_failed",
        detail: "Idempotency-Key must be 1–255 visible ASCII characters.",
        errors: [{ path: "headers.idempotency-key", message: "must be 1–255 visible ASCII characters" }],
      });
    }
    assertRouteScopes(c);
    const principal = c.get("principal");
    const id = { tenantId: principal.tenantId, caller: callerOf(principal), key };
    const body = await c.req.text();
    const requestHash = sha256(`${c.req.method} ${c.req.path}\n${body}`);
    const now = deps.clock.now();

    const claimed = await claimKey(deps.db, { ...id, requestHash, now });
    if (!claimed) {
      const [existing] = await deps.db.select().from(idempotencyKeys).where(recordIs(id));
      if (!existing) throw inProgress(); // released between our insert and select: retry is safe
      if (existing.requestHash !== requestHash) {
        throw new ProblemError({
          status: 422,
          code: "idempotency_key_reused",
          detail: "This Idempotency-Key was first used with a different method, path or body.",
        });
      }
      if (existing.state === "in_progress") throw inProgress();
      if (existing.state === "secret_shown") throw secretAlreadyShown(existing.responseHeaders?.location);
      return new Response(existing.responseBody, {
        status: existing.responseStatus ?? 200,
        headers: { ...existing.responseHeaders, "idempotent-replayed": "true" },
      });
    }

    try {
      await next();
    } catch (error) {
      await release(deps.db, id);
      throw error;
    }
    if (c.res.status >= 500 || NOT_STORED.has(c.res.status)) {
      await release(deps.db, id);
      return;
    }
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => {
        const value = c.res.headers.get(name);
        return value === null ? [] : [[name, value]];
      }),
    );
    const withheld = c.get("responseCarriesSecret") === true;
    await deps.db
      .update(idempotencyKeys)
      .set({
        state: withheld ? "secret_shown" : "completed",
        responseStatus: c.res.status,
        responseHeaders: headers,
        responseBody: withheld ? null : await c.res.clone().text(),
      })
      .where(recordIs(id));
  };
}

/**
 * Called by a handler whose response shows a secret (a new API key, a webhook signing secret):
 * the idempotency layer then stores no body, so the secret never reaches the database, and answers
 * a retry with 409 secret_already_shown.
 */
export function withholdFromReplay(c: Context<AppEnv>) {
  c.set("responseCarriesSecret", true);
}

/** Whom a record belongs to: the API key, or the signed-in user. */
function callerOf(principal: Principal): string {
  return principal.kind === "api_key" ? `api_key:${principal.keyId}` : `user:${principal.userId}`;
}

type RecordId = { tenantId: string; caller: string; key: string };

const recordIs = (id: RecordId) =>
  and(
    eq(idempotencyKeys.tenantId, id.tenantId),
    eq(idempotencyKeys.caller, id.caller),
    eq(idempotencyKeys.key, id.key),
  );

/**
 * Answers that are not stored, so the corrected or later request can reuse the key and a refused
 * request leaves no row behind. Refusals of a request that never ran (Stripe stores no result for
 * a request that failed validation): bad JSON or fields, a precondition (If-Match) missing or
 * stale, a body too large or of the wrong type. And refusals of the caller, which say nothing
 * about the request and must never be replayed: 401, 403, 429.
 */
const NOT_STORED = new Set([400, 401, 403, 412, 413, 415, 422, 428, 429]);

const inProgress = () =>
  new ProblemError({
    status: 409,
    code: "idempotency_request_in_progress",
    detail: "A request with this Idempotency-Key is still being processed. Retry after it finishes.",
    headers: { "retry-after": "1" },
  });

const secretAlreadyShown = (location: string | undefined) =>
  new ProblemError({
    status: 409,
    code: "secret_already_shown",
    detail:
      "The first request with this Idempotency-Key succeeded. Its response showed a secret, which is shown " +
      "once and never stored, so it cannot be replayed. If it was lost, revoke what was created (or rotate " +
      "the secret again) and make a new one.",
    ...(location ? { extensions: { location } } : {}),
  });

/** Inserts the in-progress row, taking over an expired one; false when a live row holds the key. */
async function claimKey(db: Database, input: RecordId & { requestHash: string; now: Date }): Promise<boolean> {
  const expiresAt = new Date(input.now.getTime() + RETENTION_MS);
  const rows = await db
    .insert(idempotencyKeys)
    .values({
      tenantId: input.tenantId,
      caller: input.caller,
      key: input.key,
      requestHash: input.requestHash,
      state: "in_progress",
      createdAt: input.now,
      expiresAt,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.caller, idempotencyKeys.key],
      set: {
        requestHash: input.requestHash,
        state: "in_progress",
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        createdAt: input.now,
        expiresAt,
      },
      setWhere: lt(idempotencyKeys.expiresAt, input.now),
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

async function release(db: Database, id: RecordId) {
  await db.delete(idempotencyKeys).where(and(recordIs(id), eq(idempotencyKeys.state, "in_progress")));
}

export const IDEMPOTENCY_PURGE_JOB = "maintenance.purge-idempotency-keys";

/** Deletes expired keys; scheduled hourly. */
export function idempotencyPurgeJob(db: Database): JobDefinition<Record<string, never>> {
  return {
    name: IDEMPOTENCY_PURGE_JOB,
    async handle() {
      await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`));
    },
  };
}
