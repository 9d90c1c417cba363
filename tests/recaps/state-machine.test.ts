import { describe, expect, it } from "vitest";
import type { RecapState } from "../../src/recaps/recaps.schema.js";
import {
  type ActorType,
  availableActions,
  type RecapAction,
  RULES,
  transition,
} from "../../src/recaps/state-machine.js";

const STATES: RecapState[] = [
  "drafting",
  "pending_review",
  "approved",
  "published",
  "rejected",
  "redraft_requested",
  "failed",
  "unpublished",
  "archived",
];
const ACTORS: ActorType[] = ["system", "reviewer", "admin", "customer", "backend"];
const ACTIONS = Object.keys(RULES) as RecapAction[];

/**
 * Every legal move, written out by hand from the product's rules (not derived from RULES), as
 * "from action to". Anything not listed must be refused.
 */
const LEGAL = `
drafting draft_completed pending_review
drafting auto_approve approved
drafting draft_failed failed
pending_review edit pending_review
approved edit pending_review
pending_review approve approved
pending_review reject rejected
approved reject rejected
pending_review request_redraft redraft_requested
rejected request_redraft redraft_requested
approved request_redraft redraft_requested
redraft_requested start_redraft drafting
failed retry drafting
approved hide_numbers approved
approved copy_updated approved
approved copy_updated_flagged pending_review
approved choose_wording approved
approved edit_post approved
approved choose_look approved
approved publish published
published unpublish unpublished
unpublished republish published
pending_review archive archived
approved archive archived
published archive archived
rejected archive archived
redraft_requested archive archived
failed archive archived
unpublished archive archived
`
  .trim()
  .split("\n")
  .map((line) => line.split(" ") as [RecapState, RecapAction, RecapState]);

const WHO: Record<RecapAction, ActorType[]> = {
  draft_completed: ["system"],
  auto_approve: ["system"],
  draft_failed: ["system"],
  start_redraft: ["system"],
  edit: ["reviewer", "admin"],
  approve: ["reviewer", "admin"],
  reject: ["reviewer", "admin"],
  request_redraft: ["reviewer", "admin"],
  retry: ["reviewer", "admin"],
  hide_numbers: ["customer", "backend", "admin"],
  copy_updated: ["system"],
  copy_updated_flagged: ["system"],
  choose_wording: ["customer", "backend", "admin"],
  edit_post: ["customer", "backend", "admin"],
  choose_look: ["customer", "backend", "admin"],
  publish: ["customer", "backend", "admin"],
  unpublish: ["customer", "backend", "admin"],
  republish: ["customer", "backend", "admin"],
  archive: ["admin"],
};

describe("the recap state machine", () => {
  const cases = STATES.flatMap((state) =>
    ACTIONS.flatMap((action) => ACTORS.map((actor) => [state, action, actor] as const)),
  );

  it(`decides all ${cases.length} (state, action, actor) combinations as the product's table says`, () => {
    for (const [state, action, actor] of cases) {
      const legal = LEGAL.find(([from, act]) => from === state && act === action);
      const allowedActor = WHO[action].includes(actor);
      const result = transition(state, action, actor, "because");
      if (!allowedActor)
        expect(result, `${actor} ${action} from ${state}`).toMatchObject({ ok: false, error: "forbidden" });
      else if (!legal)
        expect(result, `${action} from ${state}`).toMatchObject({ ok: false, error: "illegal_transition" });
      else expect(result, `${action} from ${state}`).toEqual({ ok: true, to: legal[2] });
    }
  });

  it("refuses every action on an archived recap: archiving is final", () => {
    for (const action of ACTIONS)
      for (const actor of ACTORS) expect(transition("archived", action, actor, "x").ok).toBe(false);
  });

  it.each(["reject", "request_redraft", "archive"] as const)("requires a reason to %s", (action) => {
    const from = LEGAL.find(([, act]) => act === action)?.[0] as RecapState;
    const actor = WHO[action][0] as ActorType;
    expect(transition(from, action, actor, "  ")).toMatchObject({ ok: false, error: "reason_required" });
    expect(transition(from, action, actor, null)).toMatchObject({ ok: false, error: "reason_required" });
    expect(transition(from, action, actor, "numbers look off").ok).toBe(true);
  });

  it("explains a refusal in words a reviewer understands", () => {
    const result = transition("published", "approve", "reviewer");
    expect(result).toMatchObject({ ok: false, error: "illegal_transition" });
    expect(!result.ok && result.message).toContain("published");
    expect(!result.ok && result.message).toContain("pending review");
  });

  it("offers a reviewer exactly the buttons the table allows", () => {
    expect(availableActions("pending_review", "reviewer").sort()).toEqual([
      "approve",
      "edit",
      "reject",
      "request_redraft",
    ]);
    expect(availableActions("approved", "customer")).toEqual([
      "hide_numbers",
      "choose_wording",
      "edit_post",
      "choose_look",
      "publish",
    ]);
    expect(availableActions("published", "reviewer")).toEqual([]);
  });
});
