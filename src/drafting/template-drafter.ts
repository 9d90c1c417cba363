import { formatNumber, formatPeriodInText, parseTrailingLabel } from "../i18n/format.js";
import type { Fact } from "../usage/digest.types.js";
import { copyMatchesDigest, type RecapCopy, recapCopySchema, type Wording } from "./copy.schema.js";
import type { Drafter, DraftInput, OkDigest } from "./drafter.types.js";
import {
  type CopyContext,
  callToAction,
  headline,
  imageAlt,
  linkedinPost,
  subheadline,
  transparencyNote,
} from "./template-copy.js";
import { type FactView, factView, highlightText } from "./template-facts.js";
import { createPhrasebook, printableName, TemplateError } from "./template-phrases.js";
import { preferWindowPhrases, preferYearPhrases, preferYearSoFarPhrases } from "./year-phrases.js";

/**
 * The offline drafter: copy from the sentence templates in `locales/<lng>/copy.json` and
 * `common.json`, with every number taken as `input.formatted` prints it. No model, no network, the
 * same text for the same recap, and a different choice of wording for each account.
 */
export const TEMPLATE_PROMPT_VERSION = "template-6";

/** An archetype the locale files do not know reads as the generic one rather than failing. */
const FALLBACK_ARCHETYPE = "archetype.achiever";

export class MissingNumbersError extends TemplateError {
  override name = "MissingNumbersError";
  constructor(readonly factId: string) {
    super(`No formatted numbers for fact "${factId}"`);
  }
}

/** The facts the highlights tell, best first: the digest's headline, topped up to min(3, facts). */
export function highlightFacts(digest: OkDigest): Fact[] {
  const byId = new Map(digest.facts.map((fact) => [fact.id, fact]));
  const chosen = [...new Set(digest.headline)].flatMap((id) => byId.get(id) ?? []);
  for (const fact of digest.facts) {
    if (chosen.length >= 3) break;
    if (!chosen.includes(fact)) chosen.push(fact);
  }
  return chosen.slice(0, 3);
}

/**
 * The milestone text is data from the value-moment rule ("hours_saved reached 1284 minutes in 30
 * days"): English, with numbers the copy must not repeat. It is only used to find the metric the
 * milestone is about, which then leads the headline.
 */
function milestoneFact(digest: OkDigest, milestone: string | null): Fact | undefined {
  const subject = milestone?.trim().split(/\s+/)[0];
  return subject ? digest.facts.find((fact) => fact.metricKey === subject) : undefined;
}

/**
 * What a milestone recap's copy says about its moment: the rule's name (the tenant's words, "First
 * integration live") leads the headline when the moment is not a metric's amount, and a trailing
 * window's length or start goes into the transparency line.
 */
function milestoneContext(input: DraftInput, featured: Fact | undefined): Partial<CopyContext> {
  if (input.kind !== "milestone") return {};
  const moment = input.moment ? printableName(input.moment, 60) : "";
  const trailing = parseTrailingLabel(input.digest.period.label);
  return {
    ...(moment ? { moment, momentLeads: !featured } : {}),
    ...(trailing
      ? {
          window:
            "days" in trailing ? { days: formatNumber(trailing.days, input.locale), oneDay: trailing.days === 1 } : {},
        }
      : {}),
  };
}

/** How one wording is written: which sentence of each list (shift), and which shapes. */
type WordingStyle = { shift: number; periodFirst?: boolean; shortPost?: boolean };

/**
 * The two other wordings offered to the end customer beside the copy: the next sentence of every
 * list (another headline shape, opener, highlight sentences, closing line), and one led by the
 * period with a short post that lists the bare numbers. Same facts, same formatter, same checks.
 */
const ALTERNATIVE_STYLES: WordingStyle[] = [{ shift: 1 }, { shift: 2, periodFirst: true, shortPost: true }];

export function draftTemplateCopy(input: DraftInput, style: WordingStyle = { shift: 0 }): RecapCopy {
  const { digest, locale, variant, kind } = input;
  const account = printableName(input.account.name, 120);
  const product = printableName(input.tenant.productName, 60) || printableName(input.tenant.name, 60) || "SaaS";
  const phrases = createPhrasebook(locale, `${account}\u0000${digest.period.label}`, style.shift);
  const book =
    kind === "annual"
      ? digest.period.yearToDate
        ? preferYearSoFarPhrases(preferYearPhrases(phrases))
        : preferYearPhrases(phrases)
      : parseTrailingLabel(digest.period.label)
        ? preferWindowPhrases(phrases)
        : phrases;
  const formatted = new Map(input.formatted.map((entry) => [entry.id, entry]));
  const view = (fact: Fact): FactView => {
    const numbers = formatted.get(fact.id);
    if (!numbers) throw new MissingNumbersError(fact.id);
    return factView(book, fact, numbers);
  };
  const views = highlightFacts(digest).map(view);
  const first = views[0];
  if (!first) throw new MissingNumbersError("(no facts)");
  const featured = kind === "milestone" ? milestoneFact(digest, input.milestone) : undefined;
  const archetypeKey = book.has("common", `${digest.archetype}.name`) ? digest.archetype : FALLBACK_ARCHETYPE;
  const ctx: CopyContext = {
    book,
    digest,
    variant,
    kind,
    account,
    product,
    period: formatPeriodInText(digest.period.label, locale),
    ...milestoneContext(input, featured),
    views,
    lead: (featured && views.find((candidate) => candidate.fact === featured)) ?? (featured ? view(featured) : first),
    archetype: book.one("common", `${archetypeKey}.name`),
    archetypeKey,
    ...(style.periodFirst ? { periodFirst: true } : {}),
    ...(style.shortPost ? { shortPost: true } : {}),
  };
  // Shared by the highlights, best first: the peer rank is told by the first one it fits in, once.
  const told = { rankTold: false, used: new Set<string>(), frames: new Set<string>() };
  const highlights = views.map((entry) => ({
    factId: entry.fact.id,
    text: highlightText(book, entry, variant, told),
  }));
  return {
    headline: headline(ctx),
    subheadline: subheadline(ctx),
    highlights,
    linkedinPost: linkedinPost(
      ctx,
      highlights.map((highlight) => highlight.text),
    ),
    callToAction: callToAction(ctx),
    imageAlt: imageAlt(ctx),
    transparencyNote: transparencyNote(ctx),
  };
}

/** The other wordings of the headline and post, each different from the copy's and from each other. */
export function draftTemplateAlternatives(input: DraftInput, copy: Wording): Wording[] {
  const seen = new Set([`${copy.headline}\u0000${copy.linkedinPost}`]);
  const headlines = new Set([copy.headline]);
  const wordings: Wording[] = [];
  const draft = (style: WordingStyle) => {
    try {
      return draftTemplateCopy(input, style);
    } catch (error) {
      if (error instanceof TemplateError) return null;
      throw error;
    }
  };
  for (const style of ALTERNATIVE_STYLES) {
    const drafted = draft(style);
    if (!drafted) continue;
    // A list with one headline that fits gives the same headline again: lead with the period (or the name) instead.
    if (headlines.has(drafted.headline)) {
      const other = draft({ ...style, periodFirst: !style.periodFirst });
      if (other && !headlines.has(other.headline)) drafted.headline = other.headline;
    }
    headlines.add(drafted.headline);
    const key = `${drafted.headline}\u0000${drafted.linkedinPost}`;
    if (seen.has(key)) continue;
    seen.add(key);
    wordings.push({ headline: drafted.headline, linkedinPost: drafted.linkedinPost });
  }
  return wordings;
}

export function createTemplateDrafter(): Drafter {
  return {
    name: "template",
    model: null,
    promptVersion: TEMPLATE_PROMPT_VERSION,
    // The templates are deterministic: feedback on a previous try cannot change the result.
    async draft(input: DraftInput) {
      let copy: RecapCopy;
      try {
        copy = draftTemplateCopy(input);
      } catch (error) {
        if (error instanceof TemplateError) return { ok: false, reasons: [error.message], usage: null };
        throw error;
      }
      const parsed = recapCopySchema.safeParse(copy);
      if (!parsed.success)
        return {
          ok: false,
          reasons: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
          usage: null,
        };
      const problems = copyMatchesDigest(
        parsed.data,
        input.digest.facts.map((fact) => fact.id),
      );
      return problems.length > 0
        ? { ok: false, reasons: problems, usage: null }
        : { ok: true, copy: parsed.data, alternatives: draftTemplateAlternatives(input, parsed.data), usage: null };
    },
  };
}
