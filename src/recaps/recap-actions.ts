import { and, eq, sql } from "drizzle-orm";
import type { Deps } from "../deps.js";
import type { DbExecutor } from "../platform/db/client.js";
import { AppError, notFound } from "../platform/errors.js";
import { type FieldChange, recapEvents } from "./recap-events.schema.js";
import type { RecapChange } from "./recap-reactions.js";
import type { Recap } from "./recaps.js";
import { type RecapState, recaps } from "./recaps.schema.js";
import { type ActorType, type RecapAction, transition } from "./state-machine.js";

/** What changing a recap needs: the database, the queue and clock, and the reactions to call. */
export type RecapActionDeps = Pick<Deps, "db" | "queue" | "clock" | "recapReactions">;

export type Actor = { type: ActorType; id: string | null; name: string };

/** What an action changes besides the state, worked out from the locked row. */
export type ActionPlan = { set?: Partial<typeof recaps.$inferInsert>; changes?: FieldChange[] };

export type ApplyInput = {
  tenantId: string;
  recapId: string;
  action: RecapAction;
  actor: Actor;
  /** The version the caller last saw (If-Match); null only for the system. */
  expectedVersion: number | null;
  reason?: string | null;
  plan?: (recap: Recap, tx: DbExecutor) => Promise<ActionPlan> | ActionPlan;
};

export const preconditionFailed = (current: number) =>
  new AppError(
    "precondition_failed",
    `The recap changed since you loaded it (it is now at version ${current}). Reload it and try again.`,
    { details: { currentVersion: current } },
  );

/**
 * The one way a person or the system changes a recap: locks the row, checks the version the
 * caller saw (precondition_failed when stale), asks the state machine (illegal_transition, or
 * forbidden for the wrong role),
 * applies the change, bumps the version, records the audit event, and calls the reactions the
 * features registered (render, webhooks, e-mail) in the same transaction.
 */
export async function applyRecapAction(deps: RecapActionDeps, input: ApplyInput): Promise<Recap> {
  return deps.db.transaction(async (tx) => {
    const [recap] = await tx
      .select()
      .from(recaps)
      .where(and(eq(recaps.id, input.recapId), eq(recaps.tenantId, input.tenantId)))
      .for("update");
    if (!recap) throw notFound("The recap does not exist or belongs to another tenant.");
    if (input.expectedVersion !== null && recap.version !== input.expectedVersion) {
      throw preconditionFailed(recap.version);
    }
    const decided = transition(recap.state, input.action, input.actor.type, input.reason);
    if (!decided.ok) {
      const code =
        decided.error === "forbidden"
          ? "forbidden"
          : decided.error === "reason_required"
            ? "validation_failed"
            : "illegal_transition";
      throw new AppError(code, decided.message, {
        ...(code === "validation_failed" ? { errors: [{ path: "reason", message: "is required" }] } : {}),
        details: { state: recap.state },
      });
    }
    const plan = input.plan ? await input.plan(recap, tx) : {};
    const now = deps.clock.now();
    const changes: FieldChange[] = [...(plan.changes ?? [])];
    if (decided.to !== recap.state) changes.push({ field: "state", from: recap.state, to: decided.to });
    const [updated] = await tx
      .update(recaps)
      .set({
        ...plan.set,
        state: decided.to,
        stateReason: stateReason(input.action, decided.to, input.reason, plan.set?.stateReason),
        version: sql`${recaps.version} + 1`,
        updatedAt: now,
      })
      .where(eq(recaps.id, recap.id))
      .returning();
    if (!updated) throw notFound();
    await tx.insert(recapEvents).values({
      tenantId: recap.tenantId,
      recapId: recap.id,
      action: input.action,
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name,
      fromState: recap.state,
      toState: decided.to,
      reason: input.reason?.trim() || null,
      changes,
      version: updated.version,
      at: now,
    });
    const change: RecapChange = {
      recap: updated,
      previousState: recap.state,
      action: input.action,
      actor: input.actor,
      reason: input.reason?.trim() || null,
    };
    // What follows (render, webhooks, the customer's e-mail) is each feature's own reaction.
    for (const react of deps.recapReactions) await react(deps, tx, change);
    return updated;
  });
}

function stateReason(
  action: RecapAction,
  to: RecapState,
  reason: string | null | undefined,
  planned: string | null | undefined,
): string | null {
  if (planned !== undefined) return planned;
  if (action === "reject" || action === "request_redraft" || action === "archive") return reason?.trim() || null;
  if (to === "pending_review" || to === "approved" || to === "published") return null;
  return reason?.trim() || null;
}
