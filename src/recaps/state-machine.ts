import type { RecapState } from "./recaps.schema.js";

/**
 * The recap's life, as one table. Pure: the use cases ask it whether an actor may take an action
 * from a state, and it answers with the next state or why not. Everything a person can do to a
 * recap is a row here; anything else is a 409.
 *
 *   drafting ──▶ pending_review ──approve──▶ approved ──publish──▶ published ──unpublish──▶ unpublished
 *      │  ▲            │  │  ▲                  │                                             │
 *      │  └─redraft────┘  │  └──edit (back)─────┘                                   republish─┘
 *      ▼                  ▼
 *    failed ──retry──▶  rejected            any but drafting ──archive──▶ archived
 *
 *   approved ──hide_numbers──▶ approved ──copy_updated──▶ approved   (the copy re-drafted without them)
 *                                       └─copy_updated_flagged──▶ pending_review  (the re-draft was flagged)
 */

export type ActorType = "system" | "reviewer" | "admin" | "customer" | "backend";

export type RecapAction =
  | "draft_completed"
  | "auto_approve"
  | "draft_failed"
  | "edit"
  | "approve"
  | "reject"
  | "request_redraft"
  | "start_redraft"
  | "retry"
  | "hide_numbers"
  | "copy_updated"
  | "copy_updated_flagged"
  | "choose_wording"
  | "edit_post"
  | "choose_look"
  | "publish"
  | "unpublish"
  | "republish"
  | "archive";

type Rule = { from: readonly RecapState[]; to: RecapState | "same" | "back_to_review"; actors: readonly ActorType[] };

const PEOPLE: readonly ActorType[] = ["reviewer", "admin"];
const PUBLISHERS: readonly ActorType[] = ["customer", "backend", "admin"];

export const RULES: Record<RecapAction, Rule> = {
  draft_completed: { from: ["drafting"], to: "pending_review", actors: ["system"] },
  auto_approve: { from: ["drafting"], to: "approved", actors: ["system"] },
  draft_failed: { from: ["drafting"], to: "failed", actors: ["system"] },
  // Editing an approved recap sends it back to review: nobody approved the new words.
  edit: { from: ["pending_review", "approved"], to: "back_to_review", actors: PEOPLE },
  approve: { from: ["pending_review"], to: "approved", actors: PEOPLE },
  reject: { from: ["pending_review", "approved"], to: "rejected", actors: PEOPLE },
  request_redraft: { from: ["pending_review", "rejected", "approved"], to: "redraft_requested", actors: PEOPLE },
  start_redraft: { from: ["redraft_requested"], to: "drafting", actors: ["system"] },
  retry: { from: ["failed"], to: "drafting", actors: PEOPLE },
  // The end customer hides (or shows again) numbers before publishing: the copy is re-drafted
  // without them by the system (copy_updated), and the recap stays approved meanwhile.
  hide_numbers: { from: ["approved"], to: "same", actors: PUBLISHERS },
  copy_updated: { from: ["approved"], to: "same", actors: ["system"] },
  // A flagged re-draft (the model kept writing a hidden number, say) goes to a reviewer first.
  copy_updated_flagged: { from: ["approved"], to: "pending_review", actors: ["system"] },
  // The end customer makes it theirs before publishing: another drafted wording, their own edit of
  // the post (every number checked), the cards' look. The recap stays approved: the customer is the
  // one who consents, and a failed number is refused rather than saved.
  choose_wording: { from: ["approved"], to: "same", actors: PUBLISHERS },
  edit_post: { from: ["approved"], to: "same", actors: PUBLISHERS },
  choose_look: { from: ["approved"], to: "same", actors: PUBLISHERS },
  publish: { from: ["approved"], to: "published", actors: PUBLISHERS },
  unpublish: { from: ["published"], to: "unpublished", actors: PUBLISHERS },
  republish: { from: ["unpublished"], to: "published", actors: PUBLISHERS },
  archive: {
    from: ["pending_review", "approved", "published", "rejected", "redraft_requested", "failed", "unpublished"],
    to: "archived",
    actors: ["admin"],
  },
};

/** Actions that must say why (the reason is stored in the audit trail and shown to the customer). */
export const REASON_REQUIRED: ReadonlySet<RecapAction> = new Set(["reject", "request_redraft", "archive"]);

export type TransitionResult =
  | { ok: true; to: RecapState }
  | { ok: false; error: "illegal_transition" | "forbidden" | "reason_required"; message: string };

export function transition(
  state: RecapState,
  action: RecapAction,
  actor: ActorType,
  reason?: string | null,
): TransitionResult {
  const rule = RULES[action];
  if (!rule.actors.includes(actor)) {
    return { ok: false, error: "forbidden", message: `A ${actor} may not ${humanize(action)} a recap.` };
  }
  if (!rule.from.includes(state)) {
    return {
      ok: false,
      error: "illegal_transition",
      message: `A recap that is ${humanize(state)} cannot be ${pastTense(action)}; it can be from: ${rule.from.map(humanize).join(", ")}.`,
    };
  }
  if (REASON_REQUIRED.has(action) && !reason?.trim()) {
    return { ok: false, error: "reason_required", message: `${capitalize(humanize(action))} needs a reason.` };
  }
  const to = rule.to === "same" ? state : rule.to === "back_to_review" ? "pending_review" : rule.to;
  return { ok: true, to };
}

/** The actions an actor could take now: what the review screen offers as buttons. */
export function availableActions(state: RecapState, actor: ActorType): RecapAction[] {
  return (Object.keys(RULES) as RecapAction[]).filter(
    (action) => RULES[action].from.includes(state) && RULES[action].actors.includes(actor),
  );
}

const humanize = (value: string) => value.replace(/_/g, " ");
const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

const PAST: Partial<Record<RecapAction, string>> = {
  edit: "edited",
  approve: "approved",
  reject: "rejected",
  request_redraft: "sent back for a redraft",
  retry: "retried",
  hide_numbers: "changed in what it hides",
  copy_updated: "re-drafted",
  copy_updated_flagged: "re-drafted",
  choose_wording: "given another wording",
  edit_post: "edited by the customer",
  choose_look: "given another look",
  publish: "published",
  unpublish: "unpublished",
  republish: "published again",
  archive: "archived",
};
const pastTense = (action: RecapAction) => PAST[action] ?? humanize(action);
