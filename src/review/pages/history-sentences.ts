import type { FieldChange } from "../../recaps/recap-events.schema.js";
import { SIMPLE_FIELDS } from "./copy-fields.js";

/**
 * The history as sentences a reviewer reads ("Headline: “old” → “new”", "Approved by Ann"), not
 * the JSON diffs the API keeps: the page names fields as the editor labels them and never prints
 * an object.
 */

const DONE_BY: Record<string, string> = {
  draft_completed: "Drafted",
  auto_approve: "Approved automatically",
  draft_failed: "Drafting failed",
  edit: "Edited",
  approve: "Approved",
  reject: "Rejected",
  request_redraft: "Sent back for a redraft",
  start_redraft: "Redraft started",
  retry: "Retried",
  hide_numbers: "Numbers hidden",
  copy_updated: "Re-drafted",
  copy_updated_flagged: "Re-drafted, and flagged for review",
  choose_wording: "Another wording chosen",
  edit_post: "Post edited",
  choose_look: "Look chosen",
  publish: "Published",
  unpublish: "Unpublished",
  republish: "Published again",
  archive: "Archived",
};

/** "Approved by Ann Berg (reviewer)". */
export function actionSentence(action: string, actor: { type: string; name: string }): string {
  const done = DONE_BY[action] ?? action.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase());
  return `${done} by ${actor.name} (${actor.type})`;
}

const quoted = (value: unknown) => {
  if (value === null || value === undefined || value === "") return "(empty)";
  const text = typeof value === "string" ? value : String(value);
  return `“${text.length > 160 ? `${text.slice(0, 157)}…` : text}”`;
};

/** Where the customer's headline and post came from. */
const WORDING: Record<string, string> = {
  drafted: "as drafted",
  alternative: "another drafted wording, chosen by the customer",
  edited: "edited by the customer",
};

const LABELS = new Map<string, string>(SIMPLE_FIELDS.map((field) => [field.key, field.label]));

type Highlight = { factId?: string; text?: string };
const highlightsOf = (value: unknown): Highlight[] => (Array.isArray(value) ? (value as Highlight[]) : []);
const recordOf = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** One sentence per changed text of the copy; highlights by their number. */
function copySentences(key: string, from: unknown, to: unknown): string[] {
  if (key === "highlights") {
    const before = highlightsOf(from);
    const after = highlightsOf(to);
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) => index)
      .filter((index) => before[index]?.text !== after[index]?.text)
      .map((index) => `Highlight ${index + 1}: ${quoted(before[index]?.text)} → ${quoted(after[index]?.text)}`);
  }
  if (from === to) return [];
  return [`${LABELS.get(key) ?? key}: ${quoted(from)} → ${quoted(to)}`];
}

/** The whole copy replaced (a draft or re-draft): each text that differs. */
function wholeCopySentences(from: unknown, to: unknown): string[] {
  const before = recordOf(from);
  const after = recordOf(to);
  if (!after) return ["Copy removed"];
  if (!before) return ["Copy written"];
  const keys = [...SIMPLE_FIELDS.map((field) => field.key as string), "highlights"];
  const sentences = keys.flatMap((key) => copySentences(key, before[key], after[key]));
  return sentences.length ? sentences : ["Copy re-written with the same texts"];
}

export function changeSentences(change: FieldChange): string[] {
  const { field, from, to } = change;
  if (field === "state") return [];
  if (field.startsWith("copy.")) return copySentences(field.slice("copy.".length), from, to);
  if (field === "copy") return wholeCopySentences(from, to);
  if (field === "drafting") {
    const record = recordOf(to);
    const flags = listOf(record?.flags).map((flag) => flag.replace(/_/g, " "));
    return [
      `Drafter: ${String(record?.drafter ?? "unknown")}${flags.length ? `; flags: ${flags.join(", ")}` : "; no flags"}`,
    ];
  }
  if (field === "factCheck.override") return [`Override reason: ${quoted(to)}`];
  if (field === "hiddenFactIds") {
    const named = (ids: string[]) => (ids.length ? ids.join(", ") : "none");
    return [`Numbers hidden from the public: ${named(listOf(from))} → ${named(listOf(to))}`];
  }
  if (field === "consent") {
    const hidden = listOf(recordOf(to)?.hiddenFactIds);
    const choices = recordOf(recordOf(to)?.choices) ?? {};
    const chosen = [
      choices.wording ? `wording: ${WORDING[String(choices.wording)] ?? String(choices.wording)}` : null,
      choices.theme ? `look: ${String(choices.theme)}` : null,
      choices.firstCardSize ? `card shown first: ${String(choices.firstCardSize)}` : null,
    ].filter((text): text is string => text !== null);
    return [
      `The customer agreed to publish the copy as shown${hidden.length ? `, hiding ${hidden.join(", ")}` : ""}`,
      ...(chosen.length ? [`Their choices: ${chosen.join("; ")}`] : []),
    ];
  }
  if (field === "customerChoices.wording") return [`Wording: ${WORDING[String(to)] ?? String(to)}`];
  if (field === "customerChoices.theme") return [`Look: ${quoted(from ?? "the brand's default")} → ${quoted(to)}`];
  if (field === "customerChoices.firstCardSize")
    return [`Card shown first: ${quoted(from ?? "linkedin")} → ${quoted(to)}`];
  return [`${field.replace(/[._]/g, " ")} changed`];
}
