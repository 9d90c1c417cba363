import { z } from "zod";

/** Hashtags as LinkedIn recognises them: "#" and a letter, digit or underscore run. */
const HASHTAG = /#[\p{L}\p{N}_]+/gu;

/** Counted on the compatibility form, so a full-width "＃tag" or "﹟tag" counts like "#tag". */
export function countHashtags(text: string): number {
  return text.normalize("NFKC").match(HASHTAG)?.length ?? 0;
}

/**
 * The copy of a recap, the same whoever drafts it (template, LLM or a reviewer's edit). The limits
 * are the ones the card layouts and LinkedIn impose: a headline that fits two lines on the card,
 * a post LinkedIn shows without "see more" cut-offs mid-number, a button label that fits a button.
 */
/**
 * Copy is plain text: the share link is added by the product, never written by a drafter, and
 * markup would be shown verbatim on LinkedIn (or worse, interpreted somewhere else).
 *
 * Any "<" that starts a tag, closed or not: "<img src=x onerror=…" with no ">" is still markup
 * to a browser that gets it. "< 5" and "<3" are not tags. Read on the compatibility form ("＜").
 */
const MARKUP = /<[\p{L}!/?]/u;
/**
 * A scheme or "www.". Bare domains ("t.co/abc", "example.com") need the names the copy may print
 * ("Acme.io"), so the fact-check flags those (see copy-rules.ts).
 */
const LINK = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)\S/i;

const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => !MARKUP.test(text.normalize("NFKC")), "must be plain text, without HTML or tags")
    .refine((text) => !LINK.test(text.normalize("NFKC")), "must not contain links; the share link is added separately");

export const highlightSchema = z
  .object({
    factId: z.string().min(1).describe('The digest fact this highlight is about ("metric:hours_saved", "roi").'),
    text: plainText(140),
  })
  .strict();

export const recapCopySchema = z
  .object({
    headline: plainText(60),
    subheadline: plainText(120),
    highlights: z.array(highlightSchema).min(1).max(3),
    linkedinPost: plainText(700).refine((text) => countHashtags(text) <= 3, "at most 3 hashtags"),
    callToAction: plainText(30),
    imageAlt: plainText(300),
    transparencyNote: plainText(160),
  })
  .strict();

export type RecapCopy = z.infer<typeof recapCopySchema>;

/** Another wording of the two texts the customer may choose between: the headline and the post. */
export const wordingSchema = recapCopySchema.pick({ headline: true, linkedinPost: true }).strict();
export type Wording = z.infer<typeof wordingSchema>;

/** At most this many alternatives are offered beside the copy itself (so three wordings in all). */
export const MAX_ALTERNATIVES = 2;
export type Highlight = z.infer<typeof highlightSchema>;

/** The text fields of the copy, in the order a reviewer reads them; the fact-check walks these. */
export function copyTexts(copy: RecapCopy): { field: string; text: string }[] {
  return [
    { field: "headline", text: copy.headline },
    { field: "subheadline", text: copy.subheadline },
    ...copy.highlights.map((highlight, index) => ({ field: `highlights.${index}.text`, text: highlight.text })),
    { field: "linkedinPost", text: copy.linkedinPost },
    { field: "callToAction", text: copy.callToAction },
    { field: "imageAlt", text: copy.imageAlt },
    { field: "transparencyNote", text: copy.transparencyNote },
  ];
}

/**
 * What the schema cannot see alone: each highlight is about a different fact of this digest, and
 * there are three of them when the digest has three facts to tell.
 */
export function copyMatchesDigest(copy: RecapCopy, factIds: readonly string[]): string[] {
  const problems: string[] = [];
  const wanted = Math.min(3, factIds.length);
  if (copy.highlights.length !== wanted) problems.push(`expected ${wanted} highlights, got ${copy.highlights.length}`);
  const seen = new Set<string>();
  copy.highlights.forEach((highlight, index) => {
    if (!factIds.includes(highlight.factId))
      problems.push(`highlights.${index}.factId "${highlight.factId}" is not a fact of this digest`);
    else if (seen.has(highlight.factId)) problems.push(`highlights.${index}.factId "${highlight.factId}" is repeated`);
    seen.add(highlight.factId);
  });
  return problems;
}
