import { factLabel } from "../src/drafting/fact-label.js";
import { formatPeriodLabel, parseTrailingLabel } from "../src/i18n/format.js";
import { getI18n } from "../src/i18n/i18n.js";
import type { SupportedLocale } from "../src/i18n/locales.js";
import type { RenderInput } from "../src/rendering/rendering.types.js";
import type { Fact } from "../src/usage/digest.types.js";
import { type CardWords, cardWords, trailingCardWords } from "./card-words.js";
import { type LogoModel, logoModel } from "./logo.js";
import { periodChart } from "./period-chart.js";
import { type Palette, palette } from "./theme.js";

/**
 * What every design shows, worked out once from the render input: hidden facts removed, numbers
 * paired with captions and change cues, the archetype named in the recap's language. The card and
 * PDF components only lay this out; they never format a number or look at the digest.
 */
export type FontWeight = 400 | 600 | 800;
/** Width of `text` in em (multiply by the font size). */
export type Measure = (text: string, weight: FontWeight) => number;

export type NumberModel = {
  id: string;
  value: string;
  /** What the number stands for, under it, in the recap's language (the tenant's `labels.<lng>` first). */
  caption: string;
  /** The same as a title standing alone ("Automatisoitu manuaalinen työ"), for designs that name a number. */
  label: string;
  /** "+12 %", with the direction of the change and whether it is good news. */
  change: { text: string; direction: "up" | "down" | "flat"; verdict: "better" | "worse" | "neutral" } | null;
  band: string | null;
};

/**
 * One bar a week (a month in the year in review). A week the period only partly covers (a quarter
 * rarely starts on a Monday) is `partial`: its value is prorated to a full week (by its working
 * days, at most the best full week's: partial-weeks.ts), it is drawn narrower (its `days` in the period) and marked, so
 * the first and last weeks never look like a crash, nor like a spike. A year to date's running
 * month is prorated the same way but keeps its whole month's width, so its name fits under it.
 */
export type ChartBar = { value: number; days: number; partial: boolean; best: boolean };

export type ChartModel = {
  title: string;
  caption: string;
  /** Full-week values (partial weeks prorated), oldest first; whole months in the year in review. */
  values: number[];
  bars: ChartBar[];
  /**
   * The time axis: each month of the period with its days, in the recap's language ("heinä"): a
   * year's many months by their narrow names ("H"), with the short ones beside them for a card
   * wide enough to print them.
   */
  months: { label: string; short: string; days: number }[];
  /** The year in review's bars are months (twelve, or the months so far), not weeks. */
  monthly: boolean;
};

export type RecapModel = {
  locale: SupportedLocale;
  period: string;
  account: string;
  /** False when the headline already names the account ("Kide Oy automated …"): no echo above it. */
  accountLine: boolean;
  /** The same for the cards' `title`. */
  titleAccountLine: boolean;
  product: string;
  headline: string;
  subheadline: string;
  /**
   * The cards' title: the headline, or the subheadline when the headline repeats a number the
   * card already shows big (each number is printed once per card).
   */
  title: string;
  variant: "A" | "B";
  numbers: NumberModel[];
  chart: ChartModel | null;
  highlights: string[];
  /** The highlights that print no number the card shows elsewhere (nor one another's). */
  cardHighlights: string[];
  archetype: { label: string; name: string; tagline: string | null };
  transparency: string;
  words: CardWords;
  logo: LogoModel | null;
  shareUrl: string | null;
  colours: Palette;
};

const FALLBACK_ARCHETYPE = "archetype.achiever";

/**
 * Names typed on a Mac arrive decomposed ("a" + U+0308); composed text shapes and checks reliably.
 * Line breaks collapse to spaces, but no-break spaces stay: "1 284 h" must not wrap. A period
 * label an LLM wrote with a plain space ("Q3 2026") gets a no-break space too, so a headline never
 * ends a line on "Q3" (or worse) and starts the next with the year.
 */
/** "the last 90 days" heads a card as "The last 90 days"; "Q3 2026" is unchanged. */
function upperFirst(value: string, locale: SupportedLocale): string {
  return value.charAt(0).toLocaleUpperCase(locale) + value.slice(1);
}

function text(value: string): string {
  return value
    .normalize("NFC")
    .replace(/[ \t\r\n]+/g, " ")
    .replace(/\bQ([1-4])[ \u00a0]+(\d{4})\b/g, "Q$1\u00a0$2")
    .trim();
}

/** The card's caption under a number: the localized label (src/drafting/fact-label.ts), short form. */
function caption(locale: SupportedLocale, fact: Fact): string {
  return factLabel(locale, fact, "short");
}

function change(fact: Fact, text: string | null): NumberModel["change"] {
  if (text === null || fact.changePercent === null) return null;
  const direction = fact.changePercent > 0 ? "up" : fact.changePercent < 0 ? "down" : "flat";
  // A fall of a higher-is-better metric is "worse", never dressed as a win; `improved` knows which way is good.
  const verdict = fact.improved === null || direction === "flat" ? "neutral" : fact.improved ? "better" : "worse";
  return { text, direction, verdict };
}

/** The headline facts minus hidden ones, topped up from the other facts so the row stays full. */
function shownFacts(input: RenderInput, hidden: Set<string>): Fact[] {
  const byId = new Map(input.digest.facts.map((fact) => [fact.id, fact]));
  const chosen = [...new Set(input.digest.headline)]
    .flatMap((id) => byId.get(id) ?? [])
    .filter((f) => !hidden.has(f.id));
  for (const fact of input.digest.facts) {
    if (chosen.length >= 3) break;
    if (!hidden.has(fact.id) && !chosen.includes(fact)) chosen.push(fact);
  }
  return chosen.slice(0, 3);
}

/**
 * The archetype in the recap's language. Its tagline is the first one the copy does not already
 * print: variant B's subheadline is usually the first tagline, and the badge then gives the second.
 */
function archetype(locale: SupportedLocale, key: string, words: CardWords, copy: string): RecapModel["archetype"] {
  const i18n = getI18n();
  const known = i18n.exists(`${key}.name`, { lng: locale, ns: "common" }) ? key : FALLBACK_ARCHETYPE;
  const taglines = i18n.getResource(locale, "common", `${known}.tagline`) as unknown;
  const fresh = (Array.isArray(taglines) ? taglines : []).filter(
    (tagline): tagline is string => typeof tagline === "string" && text(tagline) !== copy,
  );
  return {
    label: words.teamType,
    name: i18n.t(`${known}.name`, { lng: locale, ns: "common" }) as string,
    tagline: fresh[0] ?? null,
  };
}

const DAY = 86_400_000;

/** The most months a chart labels by their short names; more are labelled by one letter each. */
const SHORT_MONTHS_UP_TO = 4;

/**
 * The chart as the cards draw it: period-chart.ts's bars (shared with the PDF, partial weeks and a
 * running month prorated by partial-weeks.ts's one rule) with the months named in the recap's
 * language. Up to four months of a year fit by their short names ("maalis", "märts"); a longer year
 * gives each month about 25 px on the LinkedIn card, so it takes the CLDR narrow form ("T H M H …").
 */
function chart(input: RenderInput, hidden: Set<string>, words: CardWords): ChartModel | null {
  const series = input.digest.chart;
  if (!series || hidden.has(`metric:${series.metricKey}`)) return null;
  const drawn = periodChart(input);
  if (!drawn) return null;
  const fact = input.digest.facts.find((candidate) => candidate.metricKey === series.metricKey);
  const month = drawn.monthly && drawn.months.length > SHORT_MONTHS_UP_TO ? "narrow" : "short";
  const name = new Intl.DateTimeFormat(input.locale, { month, timeZone: "UTC" });
  const short = new Intl.DateTimeFormat(input.locale, { month: "short", timeZone: "UTC" });
  return {
    title: words.chartTitle,
    caption: fact ? caption(input.locale, fact) : "",
    values: drawn.bars.map((bar) => bar.value),
    bars: drawn.bars,
    months: drawn.months.map((entry) => ({
      label: name.format(new Date(entry.start * DAY)).replace(/\.$/, ""),
      short: short.format(new Date(entry.start * DAY)).replace(/\.$/, ""),
      days: entry.days,
    })),
    monthly: drawn.monthly,
  };
}

/** The digit runs of a text ("1 284", "8,1", "10"), spacing normalised: how a repeated number is found. */
function numberTokens(text: string): string[] {
  return (text.replace(/[\s\u00a0\u202f]+/g, " ").match(/\d(?:[\d., ]*\d)?/g) ?? []).map((token) => token.trim());
}

function repeats(text: string, shown: Set<string>): boolean {
  return numberTokens(text).some((token) => shown.has(token));
}

/**
 * Variant B is the proud one: it prints only good news. A change for the worse loses its cue (the
 * number itself stays, as what was achieved), and facts with an improvement or a peer rank lead.
 */
function forVariant(numbers: NumberModel[], variant: "A" | "B"): NumberModel[] {
  if (variant === "A") return numbers;
  const proud = numbers.map((entry) => ({
    ...entry,
    change: entry.change?.verdict === "better" ? entry.change : null,
  }));
  const rank = (entry: NumberModel) => (entry.change || entry.band ? 0 : 1);
  return proud
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}

export function buildRecapModel(input: RenderInput): RecapModel {
  const hidden = new Set(input.hiddenFactIds);
  const quarterWords = parseTrailingLabel(input.digest.period.label)
    ? trailingCardWords(input.locale)
    : cardWords(input.locale);
  // A year in review ("2026") says so in the kicker, compares with last year and charts months.
  const words = /^\d{4}$/.test(input.digest.period.label) ? { ...quarterWords, ...quarterWords.year } : quarterWords;
  const formatted = new Map(input.formatted.map((entry) => [entry.id, entry]));
  const variant = input.variant ?? "A";
  const allNumbers = shownFacts(input, hidden).flatMap((fact): NumberModel[] => {
    const numbers = formatted.get(fact.id);
    if (!numbers) return [];
    const band = numbers.band ? words.band.replace("{{band}}", numbers.band) : null;
    return [
      {
        id: fact.id,
        value: numbers.value,
        caption: caption(input.locale, fact),
        label: factLabel(input.locale, fact, "name"),
        change: change(fact, numbers.change),
        band,
      },
    ];
  });
  const account = text(input.accountName);
  const headline = text(input.copy.headline);
  const subheadline = text(input.copy.subheadline);
  let numbers = forVariant(allNumbers, variant);
  const shown = new Set(
    numbers.flatMap((entry) => numberTokens(`${entry.value} ${entry.change?.text ?? ""} ${entry.band ?? ""}`)),
  );
  // The headline usually says the lead number; the card shows it big, so it takes the subheadline.
  let title = headline;
  if (repeats(headline, shown)) {
    if (!repeats(subheadline, shown)) title = subheadline;
    else {
      const inTitle = new Set(numberTokens(headline));
      const rest = numbers.filter((entry) => !numberTokens(entry.value).some((token) => inTitle.has(token)));
      numbers = rest.length > 0 ? rest : numbers.slice(0, 1);
    }
  }
  const highlights = input.copy.highlights
    .filter((entry) => !hidden.has(entry.factId))
    .map((entry) => text(entry.text));
  const printed = new Set([...shown, ...numberTokens(title)]);
  const cardHighlights: string[] = [];
  for (const highlight of highlights) {
    if (repeats(highlight, printed)) continue;
    cardHighlights.push(highlight);
    for (const token of numberTokens(highlight)) printed.add(token);
  }
  return {
    locale: input.locale,
    period: upperFirst(formatPeriodLabel(input.digest.period, input.locale), input.locale),
    account,
    accountLine: account !== "" && !headline.toLocaleLowerCase().includes(account.toLocaleLowerCase()),
    titleAccountLine: account !== "" && !title.toLocaleLowerCase().includes(account.toLocaleLowerCase()),
    product: text(input.brand.productName),
    headline,
    subheadline,
    title,
    variant,
    numbers,
    chart: chart(input, hidden, words),
    highlights,
    cardHighlights,
    archetype: archetype(input.locale, input.digest.archetype, words, subheadline),
    transparency: text(input.copy.transparencyNote),
    words,
    logo: logoModel(input.logo),
    shareUrl: input.shareUrl,
    colours: palette(input.brand, input.theme),
  };
}

/** Every piece of text a design may print, named, for the glyph-coverage check. */
export function modelTexts(model: RecapModel): { field: string; text: string }[] {
  const { words } = model;
  return [
    { field: "accountName", text: model.account },
    { field: "brand.productName", text: model.product },
    { field: "copy.headline", text: model.headline },
    { field: "copy.subheadline", text: model.subheadline },
    ...model.highlights.map((text, index) => ({ field: `copy.highlights.${index}`, text })),
    { field: "copy.transparencyNote", text: model.transparency },
    { field: "period", text: model.period },
    ...model.numbers.flatMap((entry) => [
      { field: `numbers.${entry.id}.value`, text: entry.value },
      { field: `numbers.${entry.id}.caption`, text: entry.caption },
      { field: `numbers.${entry.id}.change`, text: entry.change?.text ?? "" },
      { field: `numbers.${entry.id}.band`, text: entry.band ?? "" },
    ]),
    {
      field: "chart",
      text: [
        model.chart?.title,
        model.chart?.caption,
        ...(model.chart?.months.flatMap((month) => [month.label, month.short]) ?? []),
      ].join(" "),
    },
    { field: "archetype", text: `${model.archetype.label} ${model.archetype.name} ${model.archetype.tagline ?? ""}` },
    {
      field: "words",
      text: [words.kicker, words.versus, words.highlights, words.scan, words.bestWeek, words.partialWeek].join(" "),
    },
    // The kicker and the archetype label are printed in capitals.
    { field: "words", text: `${words.kicker} ${words.teamType}`.toLocaleUpperCase(model.locale) },
    { field: "shareUrl", text: model.shareUrl ?? "" },
  ];
}
