import type { Clock } from "../platform/clock.js";
import type { DbExecutor } from "../platform/db/client.js";
import type { JobQueue } from "../platform/queue/queue.js";
import type { Recap } from "./recaps.js";
import type { RecapState } from "./recaps.schema.js";
import type { ActorType, RecapAction } from "./state-machine.js";

/** A recap's state change, as the features that follow it hear about it. */
export type RecapChange = {
  /** The row after the change (new state, bumped version). */
  recap: Recap;
  previousState: RecapState;
  action: RecapAction;
  actor: { type: ActorType; id: string | null; name: string };
  /** The reason given, trimmed; null when none. */
  reason: string | null;
};

/** What a reaction may use: it enqueues jobs and writes its own rows through `tx`. */
export type ReactionDeps = { queue: JobQueue; clock: Clock };

/**
 * What follows a recap's change in another feature (render the cards, tell the tenant's webhooks,
 * e-mail the end customer). Each runs inside the transaction of the change, so what it enqueues
 * commits or rolls back with it. The features export their reactions; the composition root lists
 * them in `deps.recapReactions`, and recaps/ calls them without knowing who they are.
 */
export type RecapReaction = (deps: ReactionDeps, tx: DbExecutor, change: RecapChange) => Promise<void>;

/** True when the change moved the recap to another state (not an edit that kept it, or a re-draft in place). */
export const changedState = (change: RecapChange) => change.recap.state !== change.previousState;
