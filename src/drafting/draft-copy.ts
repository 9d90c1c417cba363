import type { RecapCopy, Wording } from "./copy.schema.js";
import { copyMatchesDigest, MAX_ALTERNATIVES, recapCopySchema, wordingSchema } from "./copy.schema.js";
import {
  type DraftAttempt,
  type Drafter,
  DrafterUnavailableError,
  type DraftInput,
  type TokenUsage,
} from "./drafter.types.js";
import {
  type AllowedNumber,
  allowedNumbers,
  allowedPhrase,
  describeMismatches,
  extractNumbers,
  type FactCheckResult,
  factCheck,
} from "./fact-check.js";
import { factCheckHiding, type HiddenFacts } from "./hidden-facts.js";
import { cleanLine, stripInvisibleDeep } from "./sanitize.js";
import { draftTemplateAlternatives } from "./template-drafter.js";
import { printableName } from "./template-phrases.js";

/** Why the copy is not the chosen drafter's, or why a reviewer should look twice. */
export type DraftFlag =
  | "fact_check_failed" // the LLM's numbers did not match after every try: template copy used
  | "schema_invalid" // the LLM's answer did not fit the copy schema after every try: template copy used
  | "llm_unavailable" // the LLM could not be reached: template copy used
  | "budget_exhausted"; // the tenant's monthly token budget was spent: template copy used

export type DraftingRecord = {
  drafter: string;
  model: string | null;
  promptVersion: string;
  /** Calls to the chosen drafter, including the failed ones. */
  attempts: number;
  /** The drafter asked for, when its copy was replaced by the template's. */
  fallbackFrom: string | null;
  flags: DraftFlag[];
  /** What went wrong on each failed try, for the reviewer and for tuning the prompt. */
  problems: string[];
  usage: TokenUsage | null;
  costUsd: number | null;
  draftedAt: string;
};

/** How one call to a drafter went, for metrics: its copy passed, failed a check, or the call failed. */
export type DraftAttemptOutcome = "ok" | "schema_invalid" | "fact_check_failed" | "unavailable" | "error";

export type DraftOutcome = {
  copy: RecapCopy;
  factCheck: FactCheckResult;
  record: DraftingRecord;
  /** Other wordings of the headline and post, each passing the same checks as the copy. */
  alternatives: Wording[];
};

export type DraftCopyOptions = {
  drafter: Drafter;
  /** The offline drafter: the fallback when the chosen one fails. */
  template: Drafter;
  /** False when the tenant's token budget is spent: the template drafts, and the recap is flagged. */
  llmAllowed: boolean;
  /** 1 try plus this many retries with the reasons; the issue asks for "once or twice". */
  maxRetries?: number;
  /** A reviewer's instructions for a redraft, told to the LLM on its first try (templates cannot follow them). */
  instructions?: string | null;
  /**
   * What the end customer hid, with the full digest: `input.digest` must already leave those facts
   * out (visibleDigest), and any copy that still shows one of their numbers fails like a wrong number.
   */
  hidden?: HiddenFacts;
  /** Called after every LLM call with its token use, so the budget ledger is exact even on failure. */
  onUsage?: (usage: TokenUsage) => Promise<void>;
  /** Told about every drafter call (the template fallback's too): which drafter, how it went, how long it took. */
  onAttempt?: (attempt: { drafter: string; outcome: DraftAttemptOutcome; seconds: number }) => void;
  now: Date;
};

/**
 * Drafts the copy and checks every number in it. An LLM's copy that fails the schema or the
 * fact-check goes back with the reasons; after the last retry the template copy is used and the
 * recap is flagged, so nothing untrue ever reaches a reviewer unmarked.
 */
export async function draftCopy(input: DraftInput, options: DraftCopyOptions): Promise<DraftOutcome> {
  const allowed = allowedFor(input);
  const useLlm = options.drafter.name !== options.template.name;
  const flags: DraftFlag[] = [];
  const problems: string[] = [];
  let usage: TokenUsage | null = null;
  let attempts = 0;

  if (useLlm && !options.llmAllowed) flags.push("budget_exhausted");
  if (useLlm && options.llmAllowed) {
    const tries = 1 + (options.maxRetries ?? 2);
    let feedback: string[] = options.instructions
      ? [`The reviewer asked for a redraft with these instructions: ${options.instructions}`]
      : [];
    let lastFailure: DraftFlag = "schema_invalid";
    try {
      for (let index = 0; index < tries; index++) {
        attempts++;
        const { attempt, seconds } = await timedDraft(options.drafter, input, feedback, options);
        usage = await addUsage(usage, attempt.usage, options.onUsage);
        const checked = checkAttempt(attempt, input, allowed, options.hidden);
        reportAttempt(options, options.drafter, checked, seconds);
        if (checked.ok) {
          return {
            copy: checked.copy,
            factCheck: checked.factCheck,
            record: record(options.drafter, { attempts, flags, problems, usage, now: options.now }),
            alternatives: checkedAlternatives(
              attempt.ok ? attempt.alternatives : [],
              checked.copy,
              input,
              options.hidden,
            ),
          };
        }
        lastFailure = checked.flag;
        feedback = checked.reasons;
        problems.push(...checked.reasons.map((reason) => `try ${attempts}: ${reason}`));
      }
      flags.push(lastFailure);
    } catch (error) {
      if (!(error instanceof DrafterUnavailableError)) throw error;
      usage = await addUsage(usage, error.usage, options.onUsage);
      flags.push("llm_unavailable");
      problems.push(`try ${attempts}: ${error.message}`);
    }
  }

  const { attempt: templateAttempt, seconds } = await timedDraft(options.template, input, [], options);
  const checked = checkAttempt(templateAttempt, input, allowed, options.hidden);
  reportAttempt(options, options.template, checked, seconds);
  // Every number the template writes is checked against the fact-check in its tests; a link or a
  // language the detector doubts can still come from a customer's name: that copy goes to a
  // reviewer (its fact-check is not ok), never out on its own.
  const usable = checked.ok
    ? checked
    : checked.copy && checked.factCheck?.mismatches.length === 0
      ? { copy: checked.copy, factCheck: checked.factCheck }
      : null;
  if (!usable) {
    // The template drafter is ours and tested against the fact-check; reaching this is a bug, and
    // stopping the recap here (the job fails it) is better than a reviewer seeing a wrong number.
    throw new Error(
      `The template drafter produced copy that does not pass: ${checked.ok ? "" : checked.reasons.join("; ")}`,
    );
  }
  const base = record(options.template, { attempts, flags, problems, usage, now: options.now });
  return {
    copy: usable.copy,
    factCheck: usable.factCheck,
    record: { ...base, fallbackFrom: useLlm ? options.drafter.name : null },
    alternatives: checkedAlternatives(
      templateAttempt.ok ? templateAttempt.alternatives : [],
      usable.copy,
      input,
      options.hidden,
    ),
  };
}

/**
 * The alternatives a drafter offered that may be shown to the end customer: each fits the copy
 * schema and, put into the copy in place of its headline and post, passes the same fact-check and
 * hidden-number rules, with no link and no language problem. One that fails is never offered, and
 * the copy's own wording is not offered twice. A model that offers fewer than two good ones is
 * topped up from the templates, so the customer always has a choice.
 */
export function checkedAlternatives(
  offered: readonly unknown[] | undefined,
  copy: RecapCopy,
  input: DraftInput,
  hidden: HiddenFacts | undefined,
): Wording[] {
  const allowed = allowedFor(input);
  const names = { names: printedNames(input) };
  const seen = new Set([`${copy.headline}\u0000${copy.linkedinPost}`]);
  const kept: Wording[] = [];
  const consider = (candidate: unknown) => {
    if (kept.length >= MAX_ALTERNATIVES) return;
    const parsed = wordingSchema.safeParse(stripInvisibleDeep(candidate));
    if (!parsed.success) return;
    const key = `${parsed.data.headline}\u0000${parsed.data.linkedinPost}`;
    if (seen.has(key)) return;
    // Tried once: a failed one is not checked again when the templates top up.
    seen.add(key);
    const merged = { ...copy, ...parsed.data };
    const checked = hidden
      ? factCheckHiding(merged, allowed, input.locale, hidden, names)
      : factCheck(merged, allowed, input.locale, names);
    if (checked.ok) kept.push(parsed.data);
  };
  for (const candidate of offered ?? []) consider(candidate);
  if (kept.length < MAX_ALTERNATIVES)
    for (const candidate of draftTemplateAlternatives(input, copy)) consider(candidate);
  return kept;
}

/**
 * Numbers that are true without being facts: digits in the names the copy may print ("Team 42",
 * "Planner 365"), and the numbers of the milestone the recap celebrates (our own rule's threshold,
 * written in English by the value-moment evaluator).
 */
function namesAndMilestone(input: AllowedInput): AllowedNumber[] {
  const names = namedSources(input)
    .flatMap(([name, source]) => [
      allowedPhrase(cleanLine(name, 500), source),
      allowedPhrase(printableName(name, 500), source),
    ])
    .filter((entry): entry is AllowedNumber => entry !== null);
  const moment = input.moment ? allowedPhrase(printableName(input.moment, 500), "moment name") : null;
  if (moment) names.push(moment);
  const milestone = input.milestone
    ? extractNumbers(input.milestone, "en").map((found) => ({ value: found.value, source: "milestone" }))
    : [];
  return [...names, ...milestone];
}

type AllowedInput = Pick<DraftInput, "digest" | "account" | "tenant" | "milestone" | "moment">;

const namedSources = (input: Pick<DraftInput, "account" | "tenant">): [string, string][] => [
  [input.account.name ?? "", "account name"],
  [input.tenant.productName ?? "", "product name"],
  [input.tenant.name ?? "", "company name"],
];

/**
 * The names copy about this recap may print as they are, both as sent and as the templates print
 * them (markup, links and "#" taken out): a domain inside one ("Acme.io") is no link, and a name
 * says nothing about the copy's language.
 */
export function printedNames(input: Pick<DraftInput, "account" | "tenant" | "moment">): string[] {
  const names = namedSources(input).flatMap(([name]) => [cleanLine(name, 500), printableName(name, 500)]);
  // The moment's name is the tenant's words, printed as they are, like the names.
  if (input.moment) names.push(printableName(input.moment, 500));
  return [...new Set(names.filter((name) => name.length > 0))];
}

/** Every number copy about this recap may print: the digest's, the period's, the names' and the milestone's. */
export function allowedFor(input: AllowedInput): AllowedNumber[] {
  return allowedNumbers(input.digest, namesAndMilestone(input));
}

type Checked =
  | { ok: true; copy: RecapCopy; factCheck: FactCheckResult }
  | {
      ok: false;
      flag: "schema_invalid" | "fact_check_failed";
      reasons: string[];
      copy?: RecapCopy;
      factCheck?: FactCheckResult;
    };

/** One drafter call and how long it took; a call that throws is reported to onAttempt before the error goes on. */
async function timedDraft(
  drafter: Drafter,
  input: DraftInput,
  feedback: readonly string[],
  options: Pick<DraftCopyOptions, "onAttempt">,
): Promise<{ attempt: DraftAttempt; seconds: number }> {
  const started = performance.now();
  try {
    const attempt = await drafter.draft(input, feedback);
    return { attempt, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const outcome = error instanceof DrafterUnavailableError ? "unavailable" : "error";
    options.onAttempt?.({ drafter: drafter.name, outcome, seconds: (performance.now() - started) / 1000 });
    throw error;
  }
}

function reportAttempt(
  options: Pick<DraftCopyOptions, "onAttempt">,
  drafter: Drafter,
  checked: Checked,
  seconds: number,
) {
  options.onAttempt?.({ drafter: drafter.name, outcome: checked.ok ? "ok" : checked.flag, seconds });
}

function checkAttempt(
  attempt: DraftAttempt,
  input: DraftInput,
  allowed: ReturnType<typeof allowedNumbers>,
  hidden: HiddenFacts | undefined,
): Checked {
  if (!attempt.ok) return { ok: false, flag: "schema_invalid", reasons: attempt.reasons };
  // Drafters validate too; checking here again means no drafter can hand over copy that does not fit.
  const parsed = recapCopySchema.safeParse(stripInvisibleDeep(attempt.copy));
  if (!parsed.success) {
    return {
      ok: false,
      flag: "schema_invalid",
      reasons: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    };
  }
  const mismatchedFacts = copyMatchesDigest(
    parsed.data,
    input.digest.facts.map((fact) => fact.id),
  );
  if (mismatchedFacts.length > 0) return { ok: false, flag: "schema_invalid", reasons: mismatchedFacts };
  const names = { names: printedNames(input) };
  const result = hidden
    ? factCheckHiding(parsed.data, allowed, input.locale, hidden, names)
    : factCheck(parsed.data, allowed, input.locale, names);
  if (!result.ok)
    return {
      ok: false,
      flag: "fact_check_failed",
      reasons: describeMismatches(result),
      copy: parsed.data,
      factCheck: result,
    };
  return { ok: true, copy: parsed.data, factCheck: result };
}

async function addUsage(
  total: TokenUsage | null,
  more: TokenUsage | null,
  onUsage: DraftCopyOptions["onUsage"],
): Promise<TokenUsage | null> {
  if (!more) return total;
  await onUsage?.(more);
  if (!total) return { ...more };
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    totalTokens: total.totalTokens + more.totalTokens,
  };
}

function record(
  drafter: Drafter,
  state: { attempts: number; flags: DraftFlag[]; problems: string[]; usage: TokenUsage | null; now: Date },
): DraftingRecord {
  return {
    drafter: drafter.name,
    model: drafter.model,
    promptVersion: drafter.promptVersion,
    attempts: state.attempts,
    fallbackFrom: null,
    flags: state.flags,
    problems: state.problems,
    usage: state.usage,
    costUsd: null,
    draftedAt: state.now.toISOString(),
  };
}
