import { and, eq, lt, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Deps } from "../../deps.js";
import { sha256 } from "../auth/hashing.js";
import type { Database } from "../db/client.js";
import type { AppEnv } from "../http/app-env.js";
import { ProblemError } from "../http/problem.js";
import type { JobDefinition } from "../queue/queue.js";
import { idempotencyKeys } from "./idempotency.schema.js";

const RETENTION_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying; hop-by-hop and per-request ones are not. */
const REPLAYED_HEADERS = ["content-type", "location", "etag"];

/**
 * Stripe semantics for `Idempotency-Key` on POST: the same key with the same request replays the
 * stored response for 24 hours; with a different request it is 422; while the first request is
 * still running a duplicate gets 409. Server errors and refusals of a request that never ran
 * (REFUSED_UNRUN) are not stored, so a retry can succeed.
 * Runs after authentication: keys are scoped to the tenant.
 */
export function idempotency(deps: Pick<Deps, "db" | "clock">): MiddlewareHandler<AppEnv> {
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
    const { tenantId } = c.get("principal");
    const body = await c.req.text();
    const requestHash = sha256(`${c.req.method} ${c.req.path}\n${body}`);
    const now = deps.clock.now();

    const claimed = await claimKey(deps.db, { tenantId, key, requestHash, now });
    if (!claimed) {
      const [existing] = await deps.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
      if (!existing) throw inProgress(); // released between our insert and select: retry is safe
      if (existing.requestHash !== requestHash) {
        throw new ProblemError({
          status: 422,
          code: "idempotency_key_reused",
          detail: "This Idempotency-Key was first used with a different method, path or body.",
        });
      }
      if (existing.state === "in_progress") throw inProgress();
      return new Response(existing.responseBody, {
        status: existing.responseStatus ?? 200,
        headers: { ...existing.responseHeaders, "idempotent-replayed": "true" },
      });
    }

    try {
      await next();
    } catch (error) {
      await release(deps.db, tenantId, key);
      throw error;
    }
    if (c.res.status >= 500 || REFUSED_UNRUN.has(c.res.status)) {
      await release(deps.db, tenantId, key);
      return;
    }
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => {
        const value = c.res.headers.get(name);
        return value === null ? [] : [[name, value]];
      }),
    );
    await deps.db
      .update(idempotencyKeys)
      .set({
        state: "completed",
        responseStatus: c.res.status,
        responseHeaders: headers,
        responseBody: await c.res.clone().text(),
      })
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
  };
}

/**
 * Refusals that mean the request never ran (Stripe stores no result for a request that failed
 * validation): bad JSON or fields, a precondition (If-Match) missing or stale, a body too large or
 * of the wrong type. They are not stored, so the corrected request can reuse the key, and a refused
 * request leaves no row behind.
 */
const REFUSED_UNRUN = new Set([400, 412, 413, 415, 422, 428]);

const inProgress = () =>
  new ProblemError({
    status: 409,
    code: "idempotency_request_in_progress",
    detail: "A request with this Idempotency-Key is still being processed. Retry after it finishes.",
    headers: { "retry-after": "1" },
  });

/** Inserts the in-progress row, taking over an expired one; false when a live row holds the key. */
async function claimKey(
  db: Database,
  input: { tenantId: string; key: string; requestHash: string; now: Date },
): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({
      tenantId: input.tenantId,
      key: input.key,
      requestHash: input.requestHash,
      state: "in_progress",
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + RETENTION_MS),
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.key],
      set: {
        requestHash: input.requestHash,
        state: "in_progress",
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        createdAt: input.now,
        expiresAt: new Date(input.now.getTime() + RETENTION_MS),
      },
      setWhere: lt(idempotencyKeys.expiresAt, input.now),
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

async function release(db: Database, tenantId: string, key: string) {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, tenantId),
        eq(idempotencyKeys.key, key),
        eq(idempotencyKeys.state, "in_progress"),
      ),
    );
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
