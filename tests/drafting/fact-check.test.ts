import { describe, expect, it } from "vitest";
import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import type { OkDigest } from "../../src/drafting/drafter.types.js";
import {
  type AllowedNumber,
  allowedNumbers,
  allowedPhrase,
  describeMismatches,
  factCheck,
} from "../../src/drafting/fact-check.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { buildDigest } from "../../src/usage/digest.js";
import { digestInput, hoursErrorsReports, ok, Q2_2026, Q3_2026 } from "../support/digests.js";

/**
 * Q3 2026: 48 reports (top 10 % of 20 peers), 1 284 h saved (from 980 h, +31 %, worth 12 840 at
 * 10 an hour), an 8.1× return on 1 585 a quarter, and 150 errors (from 200, −25 %).
 */
function recapDigest(currency: string, period = "2026-Q3", previous = "2026-Q2"): OkDigest {
  const { metrics, values } = hoursErrorsReports();
  return ok(
    buildDigest(
      digestInput(metrics, values, {
        period: { ...Q3_2026, label: period },
        previousPeriod: { ...Q2_2026, label: previous },
        currency,
        peers: {
          segment: "agencies",
          size: 20,
          values: new Map([["reports", [60, 48, ...Array<number>(18).fill(1)]]]),
        },
        peerComparison: true,
        quarterlyCost: 1585,
      }),
    ),
    "the fixture digest must be ok",
  );
}

const EUR = recapDigest("EUR");
const SEK = recapDigest("SEK");

/** One correct copy per language, for the EUR digest (sv: the SEK one). */
const COPIES: Record<SupportedLocale, RecapCopy> = {
  en: {
    headline: "Our Q3 2026 in three numbers",
    subheadline: "1,284 hours saved, worth €12,840, and an 8.1× return",
    highlights: [
      { factId: "metric:reports", text: "48 reports built, putting us in the top 10 % of our peers" },
      { factId: "metric:hours_saved", text: "1,284 h saved, up 31 % on Q2 (980 h)" },
      { factId: "roi", text: "8.1× return: €12,840 of value from the subscription" },
    ],
    linkedinPost:
      "Q3 2026 with Acme Flow: we saved 1,284 hours (+31%), worth €12,840. Errors fell 25 %, from 200 to 150. That is an 8.1× return. #Q3 #Automation",
    callToAction: "See your own recap",
    imageAlt: "Card: 1,284 hours saved, 8.1× return, top 10 % of peers in Q3 2026",
    transparencyNote: "Measured from our own usage in Q3 2026; drafted with AI and checked by people.",
  },
  et: {
    headline: "Meie Q3 2026 kolme numbriga",
    subheadline: "1 284 tundi säästetud aega, väärtus 12 840 €, ja 8,1-kordne tasuvus",
    highlights: [
      { factId: "metric:reports", text: "48 aruannet – kuulume 10% parima hulka" },
      { factId: "metric:hours_saved", text: "1 284 h säästetud, +31% võrreldes Q2-ga (980 h)" },
      { factId: "roi", text: "8,1× tasuvus: 12 840 € väärtust" },
    ],
    linkedinPost:
      "Q3 2026 kokkuvõte: säästsime 1 284 tundi (+31%), mis on väärt 12 840 €. Vigu oli 25% vähem, 200 asemel 150. Tasuvus 8,1×. #Q3 #Automatiseerimine",
    callToAction: "Vaata oma kokkuvõtet",
    imageAlt: "Kaart: 1 284 tundi säästetud, 8,1× tasuvus, 10% parima hulgas",
    transparencyNote:
      "Arvud pärinevad meie enda kasutusest Q3 2026; tekst on koostatud AI abil ja inimeste kontrollitud.",
  },
  fi: {
    headline: "Q3 2026 kolmessa luvussa",
    subheadline: "1\u00a0284 tuntia säästettyä aikaa, arvoltaan 12\u00a0840\u00a0€, ja 8,1-kertainen tuotto",
    highlights: [
      { factId: "metric:reports", text: "48 raporttia – kuulumme parhaaseen 10\u00a0%:iin" },
      { factId: "metric:hours_saved", text: "1\u00a0284\u00a0h säästetty, +31\u00a0% Q2:een verrattuna (980 h)" },
      { factId: "roi", text: "8,1× tuotto: 12\u00a0840\u00a0€ arvoa" },
    ],
    linkedinPost:
      "Q3 2026: säästimme 1 284 tuntia (+31 %), arvoltaan 12 840 €. Virheitä oli 25 % vähemmän, 200:n sijaan 150. Tuotto 8,1×. #Q3 #Automaatio",
    callToAction: "Katso oma koosteesi",
    imageAlt: "Kortti: 1 284 tuntia säästetty, 8,1× tuotto, parhaat 10 %",
    transparencyNote: "Luvut perustuvat omaan käyttöömme Q3 2026; teksti on laadittu tekoälyllä ja tarkistettu.",
  },
  de: {
    headline: "Unser Q3 2026 in drei Zahlen",
    subheadline: "1.284 Stunden gespart, 12.840 € wert, und eine 8,1-fache Rendite",
    highlights: [
      { factId: "metric:reports", text: "48 Berichte – damit gehören wir zu den Top 10 % unserer Vergleichsgruppe" },
      { factId: "metric:hours_saved", text: "1.284 Std. gespart, +31 % gegenüber Q2 (980 Std.)" },
      { factId: "roi", text: "8,1× Rendite: 12.840 € Wert aus dem Abo" },
    ],
    linkedinPost:
      "Q3 2026 mit Acme Flow: Wir haben 1.284 Stunden gespart (+31 %), im Wert von 12.840 €. Die Fehler sanken um 25 %, von 200 auf 150. Das ist eine 8,1-fache Rendite. #Q3 #Automatisierung",
    callToAction: "Eigene Bilanz ansehen",
    imageAlt: "Karte: 1.284 Stunden gespart, 8,1× Rendite, Top 10 % im 3. Quartal 2026",
    transparencyNote: "Gemessen an unserer eigenen Nutzung im Q3 2026; mit KI entworfen und von Menschen geprüft.",
  },
  sv: {
    headline: "Vårt Q3 2026 i tre siffror",
    subheadline: "1 284 timmar sparade, värda 12 840 kr, och 8,1 gånger pengarna tillbaka",
    highlights: [
      { factId: "metric:reports", text: "48 rapporter – vi är bland de 10 % bästa i vår grupp" },
      { factId: "metric:hours_saved", text: "1 284 h sparade, +31 % mot Q2 (980 h)" },
      { factId: "roi", text: "8,1× avkastning: 12 840 kr i värde" },
    ],
    linkedinPost:
      "Q3 2026 med Acme Flow: vi sparade 1 284 timmar (+31 %), värda SEK 12 840. Felen minskade med 25 %, från 200 till 150. Det är 8,1× avkastning. #Q3 #Automatisering",
    callToAction: "Se din egen sammanfattning",
    imageAlt: "Kort: 1 284 timmar sparade, 8,1× avkastning, topp 10 % under Q3 2026",
    transparencyNote: "Siffrorna kommer från vår egen användning under Q3 2026; texten är skriven med AI och granskad.",
  },
};

const digestFor = (locale: SupportedLocale) => (locale === "sv" ? SEK : EUR);

/** The base copy with `from` replaced by `to` in one field; fails if `from` is not there. */
function edit(locale: SupportedLocale, field: string, from: string, to: string): RecapCopy {
  const copy = structuredClone(COPIES[locale]);
  const highlight = /^highlights\.(\d)$/.exec(field);
  const target = highlight ? copy.highlights[Number(highlight[1])]! : copy;
  const key = highlight ? "text" : field;
  const record = target as Record<string, string>;
  if (!record[key]?.includes(from)) throw new Error(`${locale} ${field} has no "${from}"`);
  record[key] = record[key].replace(from, to);
  return copy;
}

/** A copy with `text` as its post and no other numbers. */
function post(text: string): RecapCopy {
  return {
    headline: "Our quarter",
    subheadline: "What we did",
    highlights: [{ factId: "metric:reports", text: "Reports" }],
    linkedinPost: text,
    callToAction: "See more",
    imageAlt: "A card",
    transparencyNote: "Measured from usage.",
  };
}

describe("the fixture", () => {
  it("is the digest the copies below describe", () => {
    const facts = Object.fromEntries(EUR.facts.map((fact) => [fact.id, fact]));
    expect(facts["metric:hours_saved"]).toMatchObject({
      value: 1284,
      previousValue: 980,
      changePercent: 31,
      moneyValue: 12840,
    });
    expect(facts["metric:errors"]).toMatchObject({ value: 150, previousValue: 200, changePercent: -25 });
    expect(facts["metric:reports"]).toMatchObject({ value: 48, percentileBand: 10 });
    expect(facts.roi).toMatchObject({ value: 8.1, moneyValue: 12840 });
    expect(EUR.headline).toEqual(["metric:reports", "metric:hours_saved", "roi"]);
  });
});

describe("allowedNumbers", () => {
  const allowed = allowedNumbers(EUR);
  const pairs = allowed.map((number) => [number.source, number.value]);

  it("has every number of every fact, the period and the number of highlights", () => {
    expect(pairs).toEqual(
      expect.arrayContaining([
        ["metric:hours_saved value", 1284],
        ["metric:hours_saved previous", 980],
        ["metric:hours_saved change", 31],
        ["metric:hours_saved money", 12840],
        ["metric:hours_saved multiple", 1.31],
        ["metric:errors value", 150],
        ["metric:errors previous", 200],
        ["metric:errors change", 25],
        ["metric:reports value", 48],
        ["metric:reports band", 10],
        ["roi value", 8.1],
        ["roi money", 12840],
        ["period year", 2026],
        ["period quarter", 3],
        ["previous period quarter", 2],
        ["constant highlights", 3],
      ]),
    );
  });

  it("keeps a change as its size, with the sign of a fall beside it", () => {
    expect(allowed.find((number) => number.source === "metric:errors change")).toMatchObject({ value: 25, sign: -1 });
    expect(allowed.find((number) => number.source === "metric:hours_saved change")).toMatchObject({
      value: 31,
      sign: 1,
    });
  });

  it("adds the previous period's year when it differs, and nothing for a fact that has no such number", () => {
    const q1 = allowedNumbers(recapDigest("EUR", "2026-Q1", "2025-Q4")).map((n) => [n.source, n.value]);
    expect(q1).toEqual(
      expect.arrayContaining([
        ["period year", 2026],
        ["previous period year", 2025],
        ["previous period quarter", 4],
      ]),
    );
    expect(pairs.filter(([source]) => String(source).startsWith("period year"))).toHaveLength(1);
    expect(pairs.map(([source]) => source)).not.toContain("metric:reports change");
    expect(pairs.map(([source]) => source)).not.toContain("metric:errors multiple");
  });

  it("appends the caller's extra numbers", () => {
    const extra: AllowedNumber = { value: 1000, source: "milestone" };
    expect(allowedNumbers(EUR, [extra]).at(-1)).toEqual(extra);
  });
});

describe("matching", () => {
  const ratio = (value: number): AllowedNumber => ({ value, source: "roi value", role: "value", unit: "ratio" });
  const change = (value: number): AllowedNumber => ({
    value: Math.abs(value),
    source: "change",
    role: "change",
    unit: "percent",
    sign: value < 0 ? -1 : 1,
  });
  const cases: [string, SupportedLocale, AllowedNumber[], boolean][] = [
    ["8.1×", "en", [ratio(8.1)], true],
    ["8×", "en", [ratio(8.1)], true], // fewer decimals, rounds to the same
    ["8×", "en", [ratio(8.6)], false], // 8.6 rounds to 9
    ["9×", "en", [ratio(8.6)], true],
    ["8.2×", "en", [ratio(8.1)], false],
    ["8.10×", "en", [ratio(8.1)], true],
    ["8,1 %", "fi", [ratio(8.1)], false], // a ratio is not a percentage
    ["1 300 h", "fi", [{ value: 1284, source: "h", role: "value", unit: "hours" }], false], // zeros are not rounding
    ["10k", "en", [{ value: 10000, source: "runs", role: "value", unit: "count" }], true],
    ["10k", "en", [{ value: 10400, source: "runs", role: "value", unit: "count" }], true], // shown to thousands
    ["11k", "en", [{ value: 10400, source: "runs", role: "value", unit: "count" }], false],
    ["1,2 miljoonaa", "fi", [{ value: 1234567, source: "runs", role: "value", unit: "count" }], true],
    ["25 % fewer errors", "en", [change(-25)], true], // a change matches by its size
    ["−25 %", "en", [change(-25)], true],
    ["+25 %", "en", [change(-25)], false], // the sign contradicts the fact
    ["-25 %", "de", [change(25)], false],
    ["+25 %", "de", [change(25)], true],
    ["+25 %", "en", [{ value: 25, source: "band", role: "band", unit: "percent" }], false], // a signed % is a change
    ["top 25 %", "en", [{ value: 25, source: "band", role: "band", unit: "percent" }], true],
    ["Q3", "en", [{ value: 3, source: "period quarter", role: "quarter" }], true],
    ["3 dashboards", "en", [{ value: 3, source: "period quarter", role: "quarter" }], false],
    ["three numbers", "en", [{ value: 3, source: "constant", role: "constant" }], true],
    ["3 numbers", "en", [{ value: 3, source: "constant", role: "constant" }], false],
    ["2.5× as many runs", "en", [{ value: 2.53, source: "multiple", role: "multiple", unit: "ratio" }], true],
    ["2.5 runs", "en", [{ value: 2.53, source: "multiple", role: "multiple", unit: "ratio" }], false],
    ["12,840 h", "en", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "EUR" }], false],
    ["€12,840", "en", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "EUR" }], true],
    ["$12,840", "en", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "EUR" }], false],
    ["12 840 kr", "sv", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "SEK" }], true],
    ["12 840 €", "sv", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "SEK" }], false],
    ["12 840", "sv", [{ value: 12840, source: "money", role: "money", unit: "money", currency: "SEK" }], true],
    ["1,000 runs", "en", [{ value: 1000, source: "milestone" }], true], // a caller's number matches any kind
    ["1,000 %", "en", [{ value: 1000, source: "milestone" }], true],
  ];
  it.each(cases)("%j in %s against %j: %s", (text, locale, allowed, ok) => {
    const result = factCheck(post(text), allowed, locale);
    expect(result.numbers.length).toBeGreaterThan(0);
    expect(result.ok).toBe(ok);
  });

  it("lets a number inside a name pass only inside that name", () => {
    const allowed = [...allowedNumbers(EUR), allowedPhrase("Team 42", "account name")!];
    expect(factCheck(post("Team 42 saved 1,284 hours"), allowed, "en").ok).toBe(true);
    expect(factCheck(post("team 42 saved 1,284 hours"), allowed, "en").ok).toBe(true);
    const wrong = factCheck(post("Team 42 saved 42 % more"), allowed, "en");
    expect(wrong.mismatches.map((number) => number.text)).toEqual(["42 %"]);
  });

  it("keeps a highlight's numbers to its own fact", () => {
    const copy = edit("en", "highlights.1", "1,284 h saved", "48 h saved");
    const result = factCheck(copy, allowedNumbers(EUR), "en");
    expect(result.mismatches.map((number) => [number.field, number.text])).toEqual([["highlights.1.text", "48 h"]]);
  });
});

describe("correct copies", () => {
  it.each(Object.keys(COPIES) as SupportedLocale[])("%s passes, with every number matched", (locale) => {
    const result = factCheck(COPIES[locale], allowedNumbers(digestFor(locale)), locale);
    expect(result.mismatches).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.numbers.length).toBeGreaterThanOrEqual(25);
    expect(result.numbers.every((number) => number.match !== null)).toBe(true);
    expect(describeMismatches(result)).toEqual([]);
  });

  it.each([
    ["en", "linkedinPost", "Errors fell 25 %", "Errors fell by a quarter, 25 % fewer"],
    ["en", "subheadline", "8.1× return", "8× return"],
    ["en", "linkedinPost", "1,284 hours", "1.3k hours"],
    ["fi", "linkedinPost", "Tuotto 8,1×", "Tuotto yli kahdeksankertainen, 8×"],
    ["de", "linkedinPost", "(+31 %)", "(+31 Prozent)"],
    ["sv", "linkedinPost", "värda SEK 12 840", "värda 12\u202f840\u00a0kr"],
    ["et", "headline", "kolme numbriga", "kolmes numbris"],
  ] as const)("%s: %s may say %j as %j", (locale, field, from, to) => {
    const result = factCheck(edit(locale, field, from, to), allowedNumbers(digestFor(locale)), locale);
    expect(result.mismatches).toEqual([]);
  });
});

describe("wrong copies", () => {
  const wrong: [string, SupportedLocale, string, string, string, string][] = [
    ["a rounded-up number", "en", "linkedinPost", "1,284 hours", "1,300 hours", "1,300 hours"],
    ["an invented percentage", "en", "linkedinPost", "Errors fell 25 %", "Errors fell 40 %", "40 %"],
    ["a sign flip", "en", "linkedinPost", "(+31%)", "(−31%)", "−31%"],
    ["the wrong currency", "en", "subheadline", "€12,840", "$12,840", "$12,840"],
    ["a percentage for money", "en", "linkedinPost", "worth €12,840", "worth 12,840 %", "12,840 %"],
    ["a wrong previous value", "en", "highlights.1", "(980 h)", "(900 h)", "900 h"],
    ["a wrong year", "et", "headline", "Q3 2026", "Q3 2025", "2025"],
    ["a spelled-out wrong count", "et", "headline", "kolme numbriga", "nelja numbriga", "nelja"],
    ["a wrong-locale separator", "et", "subheadline", "1 284 tundi", "1,284 tundi", "1,284 tundi"],
    ["a swapped fact", "fi", "highlights.1", "1\u00a0284\u00a0h", "48\u00a0h", "48\u00a0h"],
    ["an English group separator", "fi", "linkedinPost", "1 284 tuntia", "1.284 tuntia", "1"],
    ["a spelled-out wrong multiple", "fi", "subheadline", "8,1-kertainen", "kolminkertainen", "kolminkertainen"],
    ["a rounded-up ratio", "fi", "highlights.2", "8,1×", "9×", "9×"],
    ["a wrong quarter", "de", "headline", "Q3 2026", "Q4 2026", "Q4"],
    ["another fact's change in a highlight", "de", "highlights.1", "+31 %", "−25 %", "−25 %"],
    ["a three-decimal number", "de", "linkedinPost", "12.840 €", "12,840 €", "12,840 €"],
    ["a spelled-out wrong count", "de", "headline", "drei Zahlen", "vier Zahlen", "vier"],
    ["the wrong currency", "sv", "highlights.2", "12 840 kr", "12 840 €", "12 840 €"],
    ["an invented rank", "sv", "imageAlt", "topp 10 %", "topp 5 %", "5 %"],
    ["a rounded-up number in thousands", "sv", "linkedinPost", "1 284 timmar", "2k timmar", "2k timmar"],
    ["a sign flip on a fall", "sv", "linkedinPost", "minskade med 25 %", "minskade med +25 %", "+25 %"],
    ["a wrong hashtag", "fi", "linkedinPost", "#Q3", "#Q4", "Q4"],
    ["a date instead of the quarter", "fi", "transparencyNote", "Q3 2026", "30.9.2026", "30"],
    ["a spelled-out wrong multiple", "en", "linkedinPost", "an 8.1× return", "twice the return", "twice"],
  ];

  it.each(wrong)("catches %s (%s %s: %j → %j)", (_name, locale, field, from, to, flagged) => {
    const copy = edit(locale, field, from, to);
    const result = factCheck(copy, allowedNumbers(digestFor(locale)), locale);
    expect(result.ok).toBe(false);
    expect(result.mismatches.map((number) => number.text)).toContain(flagged);
    const reasons = describeMismatches(result);
    expect(reasons.some((reason) => reason.includes(`"${flagged}"`))).toBe(true);
  });
});

describe("describeMismatches", () => {
  it("says which field, which text and why, and lists the numbers to use, in lines a prompt can take", () => {
    const copy = edit("fi", "linkedinPost", "1 284 tuntia", "1 300 tuntia");
    const reasons = describeMismatches(factCheck(copy, allowedNumbers(EUR), "fi"));
    expect(reasons[0]).toBe(
      'linkedinPost: "1 300 tuntia" matches no fact; the closest is 1\u00a0284\u00a0h (metric:hours_saved value)',
    );
    expect(reasons.slice(1).join(" ")).toContain("+31\u00a0% (metric:hours_saved change)");
    expect(reasons.slice(1).join(" ")).toContain("Q3 (period quarter)");
    for (const reason of reasons) expect(reason.length).toBeLessThan(300);
  });

  it("names a sign that contradicts the fact", () => {
    const copy = edit("en", "linkedinPost", "Errors fell 25 %", "Errors: +25 %");
    expect(describeMismatches(factCheck(copy, allowedNumbers(EUR), "en"))[0]).toBe(
      'linkedinPost: "+25 %" has the wrong sign; the fact is \u221225% (metric:errors change)',
    );
  });
});
