import type { DisplayUnit, Fact, PercentileBand, SerializedPeriod } from "../usage/digest.types.js";
import { getI18n } from "./i18n.js";
import type { SupportedLocale } from "./locales.js";

/**
 * Every number the product prints goes through here, so the copy, the cards, the pages and the
 * fact-check agree on how "1 284 h" is written in each language. Only Intl and a few corrections
 * where CLDR's defaults are not what a local marketer would write.
 */

export type NumberStyle = "short" | "long";

/**
 * CLDR leaves four-digit numbers ungrouped in Estonian ("1284"), but Estonian business copy and
 * the product's own examples write "1 284"; every other locale groups from four digits already.
 */
function grouping(locale: SupportedLocale): Intl.NumberFormatOptions["useGrouping"] {
  return locale === "et" ? "always" : "auto";
}

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: SupportedLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: grouping(locale), ...options });
    cache.set(key, format);
  }
  return format;
}

/**
 * A negative number is written with the typographic minus (U+2212) in every language: CLDR already
 * gives it for Finnish, Swedish and Estonian, but the hyphen-minus for English and German ("-7.8%"),
 * where typeset copy (a card, a post) also uses the minus sign. The fact-check reads both.
 */
const MINUS = "\u2212";
function format(locale: SupportedLocale, options: Intl.NumberFormatOptions, value: number): string {
  return numberFormat(locale, options).format(value).replace("-", MINUS);
}

/** Up to `decimals` decimals, no trailing zeros: 1284 → "1 284" (fi), 8.5 → "8,5". */
export function formatNumber(value: number, locale: SupportedLocale, decimals = 1): string {
  return format(locale, { maximumFractionDigits: decimals }, value);
}

/**
 * The short hour sign on cards. CLDR's "t"/"tim"/"hr" are correct but read as dated on a card;
 * "h" is what Nordic and Estonian business copy uses. German keeps CLDR's "Std.".
 */
const SHORT_HOURS: Record<SupportedLocale, string> = { en: "h", et: "h", fi: "h", de: "Std.", sv: "h" };

/** Non-breaking, so "1 284 h" never wraps between the number and its unit. */
const NBSP = "\u00a0";

export function formatHours(value: number, locale: SupportedLocale, style: NumberStyle = "short"): string {
  if (style === "long")
    return format(locale, { style: "unit", unit: "hour", unitDisplay: "long", maximumFractionDigits: 1 }, value);
  return `${formatNumber(value, locale)}${NBSP}${SHORT_HOURS[locale]}`;
}

export function formatMoney(value: number, locale: SupportedLocale, currency: string): string {
  const decimals = Number.isInteger(value) ? 0 : 2;
  return format(
    locale,
    { style: "currency", currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals },
    value,
  );
}

/** A percentage written as a number of per cent: 12.5 → "12,5 %" (fi), "12.5%" (en); a fall "−7.8%". */
export function formatPercent(value: number, locale: SupportedLocale, options: { signed?: boolean } = {}): string {
  return format(
    locale,
    { style: "percent", maximumFractionDigits: 1, signDisplay: options.signed ? "exceptZero" : "auto" },
    value / 100,
  );
}

/** ROI, always with its one decimal (docs/digest.md): 8.1 → "8.1×" (en), 1.013 → "1,0×" (de), never "1×". */
export function formatRatio(value: number, locale: SupportedLocale): string {
  return `${format(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }, value)}×`;
}

function formatUnit(value: number, unit: "minute" | "day", locale: SupportedLocale, style: NumberStyle) {
  return format(locale, { style: "unit", unit, unitDisplay: style, maximumFractionDigits: 1 }, value);
}

/** A displayed value in its unit; `currency` is the digest's. */
export function formatValue(
  value: number,
  unit: DisplayUnit,
  locale: SupportedLocale,
  currency: string,
  style: NumberStyle = "short",
): string {
  switch (unit) {
    case "hours":
      return formatHours(value, locale, style);
    case "minutes":
      return formatUnit(value, "minute", locale, style);
    case "days":
      return formatUnit(value, "day", locale, style);
    case "money":
      return formatMoney(value, locale, currency);
    case "percent":
      return formatPercent(value, locale);
    case "ratio":
      return formatRatio(value, locale);
    case "count":
      return formatNumber(value, locale);
  }
}

/** The share of peers as the card prints it ("10 %"); the words around it come from the locale files. */
export function formatBand(band: PercentileBand, locale: SupportedLocale): string {
  return formatPercent(band, locale);
}

const TRAILING_PATTERN = /^(?:P(\d{1,3})D|(\d{4}-\d{2}-\d{2}))\/(\d{4}-\d{2}-\d{2})$/;

/**
 * What a trailing window's label (usage/period.ts) says: "P90D/2026-10-02" is the 90 days up to
 * that day, "2026-09-14/2026-10-02" the time since the account started.
 */
export function parseTrailingLabel(label: string): { days: number } | { since: string } | undefined {
  const match = TRAILING_PATTERN.exec(label);
  if (!match) return undefined;
  return match[1] ? { days: Number(match[1]) } : { since: match[2] as string };
}

/**
 * "2026-Q3" → "Q3 2026": the way business copy writes a quarter in all five languages. A trailing
 * window reads "the last 90 days" or "since you started" in the locale's words (common.json).
 */
export function formatPeriod(label: string, locale: SupportedLocale = "en"): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (match) return `Q${match[2]}${NBSP}${match[1]}`;
  const trailing = parseTrailingLabel(label);
  if (!trailing) return label;
  const t = getI18n().getFixedT(locale, "common");
  if (!("days" in trailing)) return t("period.sinceStart");
  return trailing.days === 1
    ? t("period.lastDay")
    : t("period.trailing", { days: formatNumber(trailing.days, locale) });
}

/**
 * A period as running text names it, in `locale`: "Q3 2026", or a year in review "2026" (German
 * says "Jahr 2026", so that "im {{period}}" reads "im Jahr 2026").
 */
export function formatPeriodInText(label: string, locale: SupportedLocale): string {
  if (!/^\d{4}$/.test(label)) return formatPeriod(label, locale);
  return getI18n().t("period.year", { lng: locale, ns: "common", year: label }) as string;
}

/**
 * A period as a label names it (the card, a page heading): "Q3 2026", "2026", or while the year
 * still runs "2026 so far" ("2026 tähän mennessä", "2026 hittills"…), as a year in review is
 * published before the year ends.
 */
export function formatPeriodLabel(period: { label: string; yearToDate?: boolean }, locale: SupportedLocale): string {
  if (!period.yearToDate) return formatPeriod(period.label, locale);
  return getI18n().t("period.year_to_date", { lng: locale, ns: "common", year: period.label }) as string;
}

/** A period as the words need it: its label, and whether it is a year still running. */
export type ShownPeriod = { label: string; yearToDate?: boolean | undefined };

/**
 * The period a recap covers, as every page, e-mail and text that names it must show it. Whether a
 * year reads "2026" or "2026 so far" is decided once, when the digest is computed: its
 * `period.yearToDate` is set when the numbers were taken before the year ended. That stays true of
 * the recap for good (its numbers stop on that day, and its card and PDF say "so far"), so a recap
 * made on 1 December still reads "2026 so far" in January, and one made after New Year reads
 * "2026". `recap.period` alone cannot tell the two apart.
 */
export function recapPeriod(recap: { period: string; digest: { period: SerializedPeriod } }): ShownPeriod {
  const counted = recap.digest.period;
  return counted.label === recap.period && counted.yearToDate
    ? { label: recap.period, yearToDate: true }
    : { label: recap.period };
}

/**
 * A period where a sentence was written for a quarter ("your {{period}} recap", "Rückblick auf
 * {{period}}", "jaksolta {{period}}"): a quarter or a year as they are, and a trailing window as
 * its dates ("4 Jul – 2 Oct 2026", "4.7.–2.10.2026"), which fit every such slot in every language,
 * where "the last 90 days" or "since you started" would not ("your the last 90 days recap"). A
 * year still running reads "2026 so far": a sentence that cannot take it has its own wording for
 * the year in review (customer.json `page.headingYear`, hub.json `email.subjectYear`). Words and
 * dates stay together (no-break spaces); a range may break at its dash.
 */
export function formatPeriodInTitle(period: string | ShownPeriod, locale: SupportedLocale): string {
  // In a heading, "2026 so far" and "2. Okt. 2026" must not break inside ("2026. / aasta seni"); a
  // range may still break at its dash, where ICU puts thin spaces.
  if (typeof period !== "string" && period.yearToDate) return keepTogether(formatPeriodLabel(period, locale));
  const label = typeof period === "string" ? period : period.label;
  const trailing = parseTrailingLabel(label);
  const end = /(\d{4}-\d{2}-\d{2})$/.exec(label)?.[1];
  if (!trailing || !end) return formatPeriod(label, locale);
  const last = new Date(`${end}T00:00:00Z`);
  const first =
    "days" in trailing
      ? new Date(last.getTime() - trailing.days * 86_400_000)
      : new Date(`${trailing.since}T00:00:00Z`);
  const dates = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  return keepTogether(dates.formatRange(first, last));
}

const keepTogether = (text: string) => text.replaceAll(" ", NBSP);

/**
 * Whether a fact's change rounds to nothing at the precision every place prints it (one decimal:
 * +0.04 % reads "0 %"). Such a change is not printed as a change anywhere: no "0 %" or "−0 %"
 * chip on a card, PDF or page, and no "the change is 0 %" in the copy, which may say once that the
 * figure held steady instead (src/drafting/template-facts.ts).
 */
export function heldSteady(fact: Pick<Fact, "changePercent">): boolean {
  return fact.changePercent !== null && Math.abs(fact.changePercent) < 0.05;
}

/** A fact's numbers, written once for every place that shows them. */
export type FormattedFact = {
  id: string;
  value: string;
  /** The same value with the unit spelled out ("1 284 tuntia"), for running text. */
  valueLong: string;
  /** "+12 %"; null with no comparison, and for a change that rounds to "0 %" (`heldSteady`). */
  change: string | null;
  band: string | null;
  money: string | null;
};

export function formatFact(fact: Fact, locale: SupportedLocale, currency: string): FormattedFact {
  return {
    id: fact.id,
    value: formatValue(fact.value, fact.unit, locale, currency, "short"),
    valueLong: formatValue(fact.value, fact.unit, locale, currency, "long"),
    change:
      fact.changePercent === null || heldSteady(fact)
        ? null
        : formatPercent(fact.changePercent, locale, { signed: true }),
    band: fact.percentileBand === null ? null : formatBand(fact.percentileBand, locale),
    money: fact.moneyValue === null || fact.kind === "roi" ? null : formatMoney(fact.moneyValue, locale, currency),
  };
}
