import type { RecapKind } from "../recaps/recaps.schema.js";
import { countHashtags } from "./copy.schema.js";
import type { CopyVariant, OkDigest } from "./drafter.types.js";
import type { FactView } from "./template-facts.js";
import { type Phrasebook, productHashtag, TemplateError, type Vars } from "./template-phrases.js";

/** Everything the parts of the copy are written from, resolved once per draft. */
export type CopyContext = {
  book: Phrasebook;
  digest: OkDigest;
  variant: CopyVariant;
  kind: RecapKind;
  /** Printable account name; empty when the customer's name had nothing printable. */
  account: string;
  product: string;
  /** "Q3 2026", from formatPeriod. */
  period: string;
  /** The highlight facts, in the digest's headline order. */
  views: FactView[];
  /** The fact the headline is about: the best one, or the milestone's. */
  lead: FactView;
  archetype: string;
  archetypeKey: string;
  /** A milestone's moment, named as its rule is ("First integration live"). */
  moment?: string;
  /** The moment is not a metric's amount (a first event, a number of colleagues): its name leads the headline. */
  momentLeads?: boolean;
  /** A milestone over a trailing window: its length in days as printed, or none for "since you started". */
  window?: { days?: string; oneDay?: boolean };
  /** An alternative wording: a headline led by the period rather than the account's name. */
  periodFirst?: boolean;
  /** An alternative wording: the post lists the bare numbers rather than a sentence each. */
  shortPost?: boolean;
};

/** Limits of the copy schema (src/drafting/copy.schema.ts). */
export const LIMITS = { headline: 60, subheadline: 120, post: 700, callToAction: 30, imageAlt: 300, note: 160 };

function required(text: string | undefined, what: string): string {
  if (text === undefined) throw new TemplateError(`No ${what} template fits its length limit`);
  return text;
}

/**
 * The headline, from the longest form down: led by the period with the account's name ("Q3 2026:
 * Kide Oy automated 478 h"), with the name alone, with the period alone, and with the bare number.
 * A long name drops out whole; a number is never cut.
 */
export function headline(ctx: CopyContext): string {
  const { book, variant, kind, period, lead, views, archetype } = ctx;
  const account = ctx.periodFirst ? "" : ctx.account;
  const slot = lead.fact.id;
  const max = LIMITS.headline;
  const pick = (key: string, vars: Vars) => book.pick("copy", key, slot, vars, max);
  const named = (key: string, vars: Vars) => (account ? pick(key, { ...vars, account }) : undefined);
  if (kind === "milestone") {
    const moment = ctx.momentLeads && ctx.moment ? ctx.moment : undefined;
    const momentHeadline = moment
      ? (named("headline.milestone.moment.named", { moment }) ?? pick("headline.milestone.moment.plain", { moment }))
      : undefined;
    if (momentHeadline) return momentHeadline;
    if (variant === "B")
      return required(named("headline.milestone.B.named", {}) ?? pick("headline.milestone.B.plain", {}), "headline");
    return (
      named("headline.milestone.A.named", { amount: lead.amountShort }) ??
      pick("headline.milestone.A.plain", { amount: lead.amountShort }) ??
      pick("headline.milestone.A.plain", { amount: lead.formatted.value }) ??
      lead.formatted.value
    );
  }
  if (variant === "A") {
    return (
      named(`headline.A.dated.${lead.topic}`, { amount: lead.amountShort, period }) ??
      named(`headline.A.named.${lead.topic}`, { amount: lead.amountShort }) ??
      pick(`headline.A.plain.${lead.topic}`, { amount: lead.amountShort, period }) ??
      pick("headline.A.value", { value: lead.formatted.value, period }) ??
      lead.formatted.value
    );
  }
  const band = views.find((view) => view.formatted.band)?.formatted.band;
  const ranked = band
    ? (named("headline.B.band.dated", { band, period }) ??
      named("headline.B.band.named", { band }) ??
      pick("headline.B.band.plain", { band, period }))
    : undefined;
  return (
    ranked ??
    named("headline.B.archetype.named", { archetype, period }) ??
    pick("headline.B.archetype.plain", { archetype, period }) ??
    archetype
  );
}

export function subheadline(ctx: CopyContext): string {
  const { book, variant, kind, product, period } = ctx;
  const max = LIMITS.subheadline;
  if (kind === "milestone") {
    const text =
      variant === "A"
        ? (book.pick("copy", "subheadline.milestone.A.product", "subheadline", { product }, max) ??
          book.pick("copy", "subheadline.milestone.A.plain", "subheadline", {}, max))
        : book.pick("copy", "subheadline.milestone.B", "subheadline", {}, max);
    return required(text, "subheadline");
  }
  if (variant === "B")
    return required(book.pick("common", `${ctx.archetypeKey}.tagline`, "subheadline", {}, max), "tagline");
  return required(
    book.pick("copy", "subheadline.A.product", "subheadline", { period, product }, max) ??
      book.pick("copy", "subheadline.A.plain", "subheadline", { period }, max),
    "subheadline",
  );
}

function hashtags(ctx: CopyContext, budget: number): string {
  const tags = ctx.book.one("common", `hashtag.${ctx.lead.topic}`).split(/\s+/);
  const own = productHashtag(ctx.product);
  if (own && !tags.some((tag) => tag.toLowerCase() === own.toLowerCase())) tags.push(own);
  return tags.slice(0, Math.max(0, budget)).join(" ");
}

/**
 * The post the customer publishes, in their own voice ("we"): an opener, the highlights as a list,
 * then why it matters and a question (A) or the team's archetype and a thank-you (B), and at most
 * three hashtags. When it runs long, the list shortens to the bare numbers and the extras go.
 */
export function linkedinPost(ctx: CopyContext, highlights: string[]): string {
  const { book, variant, kind, product, period, lead, archetype } = ctx;
  const slot = "post";
  const opener =
    kind === "milestone"
      ? book.pick("copy", `post.opener.milestone.${variant}`, slot, variant === "A" ? { product } : {})
      : book.pick("copy", `post.opener.${variant}`, slot, variant === "A" ? { period, product } : { period });
  const extras =
    variant === "A"
      ? [book.pick("copy", `post.why.${lead.topic}`, slot), book.pick("copy", "post.closer", slot)]
      : [book.pick("copy", "post.identity", slot, { archetype }), book.pick("copy", "post.thanks", slot)];
  const full = highlights.map((text) => `• ${text}`);
  const short = ctx.views.map((view) => `• ${view.amount}`);
  const attempts: [string[], (string | undefined)[]][] = [
    ...(ctx.shortPost ? [] : [[full, extras] as [string[], (string | undefined)[]]]),
    [short, extras],
    [full, extras.slice(1)],
    [short, extras.slice(1)],
    [short, []],
  ];
  let post = "";
  for (const [list, more] of attempts) {
    const body = [opener, list.join("\n"), ...more].filter(Boolean).join("\n\n");
    const tags = hashtags(ctx, 3 - countHashtags(body));
    post = tags ? `${body}\n\n${tags}` : body;
    if (post.length <= LIMITS.post) return post;
  }
  return post;
}

export function imageAlt(ctx: CopyContext): string {
  const { book, account, period, archetype, views } = ctx;
  // A milestone card is described as one, with its period in brackets (any period reads there).
  const variant = ctx.kind === "milestone" ? "milestone" : ctx.variant;
  const list = new Intl.ListFormat(book.locale, { style: "long", type: "conjunction" });
  const max = LIMITS.imageAlt;
  const extra: Vars = variant === "B" ? { archetype } : {};
  for (const facts of [
    list.format(views.map((view) => view.amount)),
    list.format(views.map((view) => view.amountShort)),
  ]) {
    const vars = { ...extra, period, facts };
    const text =
      (account ? book.pick("copy", `imageAlt.${variant}.named`, "imageAlt", { ...vars, account }, max) : undefined) ??
      book.pick("copy", `imageAlt.${variant}.plain`, "imageAlt", vars, max);
    if (text) return text;
  }
  return required(
    book.pick("copy", `imageAlt.${variant}.plain`, "imageAlt", { ...extra, period, facts: ctx.lead.amountShort }, max),
    "image description",
  );
}

/** Why the customer sees this recap, in one line; a milestone's says which moment made it. */
export function transparencyNote(ctx: CopyContext): string {
  const { book, product, period } = ctx;
  const max = LIMITS.note;
  if (ctx.window) {
    const shape = !ctx.window.days ? "since" : ctx.window.oneDay ? "day" : "window";
    const vars = { product, days: ctx.window.days ?? "" };
    return required(
      (ctx.moment
        ? book.pick("common", `transparency.milestone.${shape}`, "note", { ...vars, moment: ctx.moment }, max)
        : undefined) ?? book.pick("common", `transparency.milestone.${shape}Plain`, "note", vars, max),
      "transparency note",
    );
  }
  const key = ctx.digest.peerGroup.shown ? "transparency.peers" : "transparency.product";
  return required(
    book.pick("common", key, "note", { product, period }, max) ??
      book.pick("common", "transparency.product", "note", { product, period }, max) ??
      book.pick("common", "transparency.plain", "note", { period }, max),
    "transparency note",
  );
}

export function callToAction(ctx: CopyContext): string {
  return required(ctx.book.pick("common", `cta.${ctx.variant}`, "cta", {}, LIMITS.callToAction), "call to action");
}
