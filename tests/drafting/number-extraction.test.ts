import { describe, expect, it } from "vitest";
import { extractNumbers, type NumberKind, scanNumbers } from "../../src/drafting/number-extraction.js";
import { formatMoney, formatPercent } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";

const NBSP = "\u00a0";
const NNBSP = "\u202f";

/** [text as written, value] for every number found, in order. */
type Expected = [string, number][];

const read = (text: string, locale: SupportedLocale) =>
  extractNumbers(text, locale).map((found) => [found.text, found.value]);

describe("extractNumbers", () => {
  const cases: [SupportedLocale, string, Expected][] = [
    // English: "," groups, "." decimals.
    ["en", "We saved 1,284 h", [["1,284 h", 1284]]],
    [
      "en",
      "worth €12,840 in Q3 2026",
      [
        ["€12,840", 12840],
        ["Q3", 3],
        ["2026", 2026],
      ],
    ],
    [
      "en",
      "up +31% and errors −25 %",
      [
        ["+31%", 31],
        ["−25 %", -25],
      ],
    ],
    [
      "en",
      "an 8.1× return, 3x faster",
      [
        ["8.1×", 8.1],
        ["3x", 3],
      ],
    ],
    [
      "en",
      "10k runs and 1.2M events",
      [
        ["10k", 10000],
        ["1.2M", 1200000],
      ],
    ],
    ["en", "1.5 million euros", [["1.5 million euros", 1500000]]],
    ["en", "top 10 % of peers", [["10 %", 10]]],
    [
      "en",
      "#Q3 #Top10 #Wrapped2026",
      [
        ["Q3", 3],
        ["10", 10],
        ["2026", 2026],
      ],
    ],
    [
      "en",
      "SEK 12,840 and $1,234,567.5",
      [
        ["SEK 12,840", 12840],
        ["$1,234,567.5", 1234567.5],
      ],
    ],
    [
      "en",
      "three reports, twice as fast, ten teams",
      [
        ["three", 3],
        ["twice", 2],
        ["ten", 10],
      ],
    ],
    ["en", "one team, a B2B tool, i18n ready, MP3s", []],
    [
      "en",
      "12h saved, 3.5h each",
      [
        ["12h", 12],
        ["3.5h", 3.5],
      ],
    ],
    [
      "en",
      "the 3rd quarter of 2026",
      [
        ["3rd quarter", 3],
        ["2026", 2026],
      ],
    ],
    [
      "en",
      "from 10–15 hours",
      [
        ["10", 10],
        ["15 hours", 15],
      ],
    ],
    [
      "en",
      "COVID-19 and (-5 %)",
      [
        ["19", 19],
        ["-5 %", -5],
      ],
    ],
    // Estonian: space groups (any space), "," decimals.
    ["et", `1${NBSP}284${NBSP}h säästetud`, [[`1${NBSP}284${NBSP}h`, 1284]]],
    [
      "et",
      `12${NNBSP}840${NBSP}€ ja 12,5%`,
      [
        [`12${NNBSP}840${NBSP}€`, 12840],
        ["12,5%", 12.5],
      ],
    ],
    [
      "et",
      "1 284 tundi, 1,5 ööpäeva, 8,1-kordne",
      [
        ["1 284 tundi", 1284],
        ["1,5 ööpäeva", 1.5],
        ["8,1-kordne", 8.1],
      ],
    ],
    [
      "et",
      "kolm aruannet, kaks korda, kolme protsenti",
      [
        ["kolm", 3],
        ["kaks korda", 2],
        ["kolme protsenti", 3],
      ],
    ],
    ["et", "üks meeskond, see viis meid edasi", []],
    ["et", "1,2 miljonit eurot", [["1,2 miljonit eurot", 1200000]]],
    // Finnish.
    [
      "fi",
      `1${NBSP}284${NBSP}h ja 12${NBSP}840${NBSP}€`,
      [
        [`1${NBSP}284${NBSP}h`, 1284],
        [`12${NBSP}840${NBSP}€`, 12840],
      ],
    ],
    [
      "fi",
      "12,5 % ja −25 % ja +31 %",
      [
        ["12,5 %", 12.5],
        ["−25 %", -25],
        ["+31 %", 31],
      ],
    ],
    [
      "fi",
      "8,1× tuotto Q3 2026:lla",
      [
        ["8,1×", 8.1],
        ["Q3", 3],
        ["2026", 2026],
      ],
    ],
    [
      "fi",
      "kolmen luvun, kolmea raporttia, kahdeksan",
      [
        ["kolmen", 3],
        ["kolmea", 3],
        ["kahdeksan", 8],
      ],
    ],
    ["fi", "yksi tiimi, yhtä hyvä", []],
    [
      "fi",
      "top 10 %:n joukossa, 1 284 tuntia",
      [
        ["10 %", 10],
        ["1 284 tuntia", 1284],
      ],
    ],
    [
      "fi",
      "1,2 miljoonaa euroa ja 10k",
      [
        ["1,2 miljoonaa euroa", 1200000],
        ["10k", 10000],
      ],
    ],
    // German: "." groups, "," decimals.
    ["de", `1.284${NBSP}Std. gespart`, [[`1.284${NBSP}Std.`, 1284]]],
    [
      "de",
      `12.840${NBSP}€ und 12,5${NBSP}%`,
      [
        [`12.840${NBSP}€`, 12840],
        [`12,5${NBSP}%`, 12.5],
      ],
    ],
    [
      "de",
      "-25 % und +31 %",
      [
        ["-25 %", -25],
        ["+31 %", 31],
      ],
    ],
    [
      "de",
      "8,1× Rendite im 3. Quartal 2026",
      [
        ["8,1×", 8.1],
        ["3. Quartal", 3],
        ["2026", 2026],
      ],
    ],
    [
      "de",
      "drei Berichte, doppelt so schnell, ein Team, eine Zahl",
      [
        ["drei", 3],
        ["doppelt", 2],
      ],
    ],
    ["de", "1,2 Mio. Euro", [["1,2 Mio. Euro", 1200000]]],
    // Swedish.
    [
      "sv",
      `12${NBSP}840${NBSP}kr och SEK 12 840`,
      [
        [`12${NBSP}840${NBSP}kr`, 12840],
        ["SEK 12 840", 12840],
      ],
    ],
    [
      "sv",
      "1 284 h, 12,5 %, 8,1×",
      [
        ["1 284 h", 1284],
        ["12,5 %", 12.5],
        ["8,1×", 8.1],
      ],
    ],
    [
      "sv",
      "tre rapporter, en kund, ett team, tolv veckor",
      [
        ["tre", 3],
        ["tolv", 12],
      ],
    ],
    [
      "sv",
      "topp 10 % och 12 840,50 US$",
      [
        ["10 %", 10],
        ["12 840,50 US$", 12840.5],
      ],
    ],
  ];

  it.each(cases)("%s: %j", (locale, text, expected) => {
    expect(read(text, locale)).toEqual(expected);
  });

  it("gives the position of each number in the text", () => {
    const text = "Säästimme 1 284 h, +31 %";
    for (const found of extractNumbers(text, "fi")) expect(text.slice(found.start, found.end)).toBe(found.text);
    expect(extractNumbers(text, "fi").map((found) => found.start)).toEqual([10, 19]);
  });
});

describe("what a number is", () => {
  const kinds: [SupportedLocale, string, NumberKind, -1 | 0 | 1][] = [
    ["en", "+31%", "percent", 1],
    ["en", "31 percent", "percent", 0],
    ["fi", "31 prosenttia", "percent", 0],
    ["de", "31 Prozent", "percent", 0],
    ["en", "€12,840", "money", 0],
    ["sv", "12 840 kr", "money", 0],
    ["fi", "12 840 euroa", "money", 0],
    ["en", "−€1,200", "money", -1],
    ["en", "8.1x", "ratio", 0],
    ["de", "3-fach", "ratio", 0],
    ["fi", "8,1-kertainen", "ratio", 0],
    ["sv", "2 gånger", "ratio", 0],
    ["en", "twice", "ratio", 0],
    ["fi", "Q3", "quarter", 0],
    ["sv", "3:e kvartalet", "quarter", 0],
    ["en", "1,284 hours", "hours", 0],
    ["de", "1.284 Stunden", "hours", 0],
    ["fi", "1 284 tunnin", "hours", 0],
    ["et", "90 minutit", "minutes", 0],
    ["de", "12,5 Tg.", "days", 0],
    ["sv", "1,5 dygn", "days", 0],
    ["en", "48 reports", "plain", 0],
    ["en", "TOP 10 %", "percent", 0],
    ["en", "COVID-19", "plain", 0],
  ];
  it.each(kinds)("%s: %j is %s with sign %d", (locale, text, kind, sign) => {
    const [found, ...rest] = scanNumbers(text, locale);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ kind, sign });
  });

  it.each([
    ["en", "8", 1],
    ["en", "8.1", 0.1],
    ["fi", "12,50", 0.01],
    ["en", "10k", 1000],
    ["en", "1.2M", 100000],
    ["fi", "1,23 miljoonaa", 10000],
    ["en", "1,300", 1],
  ] as const)("%s: %j shows its last digit worth %d", (locale, text, step) => {
    expect(scanNumbers(text, locale)[0]?.step).toBeCloseTo(step, 10);
  });
});

describe("a fall as the formatter prints it", () => {
  // The formatter writes every negative number with the typographic minus (U+2212) in all five
  // languages; a model may still write the hyphen-minus. Both are the same fall.
  it.each(SUPPORTED_LOCALES)("%s: reads the minus sign and the hyphen-minus as the same fall", (locale) => {
    for (const printed of [formatPercent(-7.8, locale, { signed: true }), formatMoney(-1200, locale, "EUR")]) {
      expect(printed).toContain("\u2212");
      const [withMinus, ...rest] = scanNumbers(printed, locale);
      expect(rest).toEqual([]);
      expect(withMinus).toMatchObject({ sign: -1, value: printed.includes("%") ? -7.8 : -1200 });
      const [withHyphen] = scanNumbers(printed.replace("\u2212", "-"), locale);
      expect(withHyphen).toMatchObject({ sign: -1, value: withMinus!.value, kind: withMinus!.kind });
    }
  });
});

describe("wrong-locale and malformed numbers", () => {
  const flagged: [SupportedLocale, string, string[]][] = [
    // A comma and three digits is a decimal in fi/et/sv/de: 1.284, never 1 284 taken silently.
    ["fi", "1,284 tuntia", ["1,284 tuntia"]],
    ["sv", "12,840 kr", ["12,840 kr"]],
    ["de", "1,284 Stunden", ["1,284 Stunden"]],
    // A point and three digits is a decimal in English.
    ["en", "1.284 hours", ["1.284 hours"]],
    // A separator the language does not use between digits: read as separate numbers, flagged.
    ["fi", "1.284 tuntia", ["1", "284 tuntia"]],
    ["et", "8.1×", ["8", "1×"]],
    ["en", "12,5 %", ["12", "5 %"]],
    ["de", "30.9.2026", ["30", "9", "2026"]],
    ["en", "1,2845", ["1", "2845"]],
    ["en", "1'284", ["1", "284"]],
    // Space grouping in a language that groups with "," or ".".
    ["en", "1 284 hours", ["1", "284 hours"]],
    ["de", "12 840 €", ["12", "840 €"]],
  ];
  it.each(flagged)("%s: %j is flagged", (locale, text, pieces) => {
    const found = scanNumbers(text, locale);
    expect(found.map((number) => number.text)).toEqual(pieces);
    for (const number of found) expect(number.problem).toEqual(expect.any(String));
  });

  it.each([
    ["fi", "Q3 2026"],
    ["fi", "2026 1 284 h"],
    ["en", "Q3 2026"],
    ["en", "in 2026 100 teams"],
    ["de", "3, 5 und 7"],
    ["fi", "1 284,5 h"],
  ] as const)("%s: %j is read without problems", (locale, text) => {
    expect(scanNumbers(text, locale).filter((number) => number.problem !== null)).toEqual([]);
  });

  it("flags digits of other scripts instead of skipping them", () => {
    const found = scanNumbers("säästimme １２８４ tuntia", "fi");
    expect(found).toHaveLength(1);
    // Read on the folded text as 1 284 hours, and flagged all the same.
    expect(found[0]).toMatchObject({ text: "１２８４ tuntia", problem: "uses digits other than 0–9" });
  });

  it("groups only in threes: a bad group splits the number", () => {
    expect(read("12 34 567", "fi")).toEqual([
      ["12", 12],
      ["34 567", 34567],
    ]);
    expect(read("2026 1 284 h", "fi")).toEqual([
      ["2026", 2026],
      ["1 284 h", 1284],
    ]);
  });
});
