import type { SupportedLocale } from "../src/i18n/locales.js";

/**
 * The few fixed words the designs print around the copy: labels, the peer band's wording (the
 * caption under each big number is the fact's localized label, src/drafting/fact-label.ts). They are part of the layout (their length is designed for), so
 * they live beside the templates; the copy itself comes drafted and checked. No numbers here: the
 * band is filled with format.ts's "10 %".
 */
export type CardWords = {
  kicker: string;
  versus: string;
  /** "{{band}}" is replaced with the formatted band. */
  band: string;
  teamType: string;
  chartTitle: string;
  /** The chart's legend: the best week, and a week the period only partly covers (prorated). */
  bestWeek: string;
  partialWeek: string;
  highlights: string;
  scan: string;
  /** The year in review's kicker, comparison, chart title and legend (months, not weeks). */
  year: { kicker: string; versus: string; chartTitle: string; bestWeek: string; partialWeek: string };
};

const WORDS: Record<SupportedLocale, CardWords> = {
  en: {
    kicker: "Quarterly recap",
    versus: "vs. last quarter",
    band: "Top {{band}} of similar teams",
    teamType: "Team type",
    chartTitle: "Week by week",
    year: {
      kicker: "Year in review",
      versus: "vs. last year",
      chartTitle: "Month by month",
      bestWeek: "Best month",
      partialWeek: "This month, prorated",
    },
    bestWeek: "Best week",
    partialWeek: "Partial week, prorated",
    highlights: "Highlights",
    scan: "Scan to open the recap",
  },
  et: {
    kicker: "Kvartali kokkuvõte",
    versus: "eelmise kvartaliga",
    band: "Top {{band}} sarnaste tiimide seas",
    teamType: "Tiimi tüüp",
    chartTitle: "Nädal nädalalt",
    year: {
      kicker: "Aasta kokkuvõte",
      versus: "eelmise aastaga",
      chartTitle: "Kuu kuult",
      bestWeek: "Parim kuu",
      partialWeek: "Jooksev kuu, ümber arvutatud",
    },
    bestWeek: "Parim nädal",
    partialWeek: "Osaline nädal, ümber arvutatud",
    highlights: "Esiletõstetud",
    scan: "Skanni ja ava kokkuvõte",
  },
  fi: {
    kicker: "Neljännesvuosikatsaus",
    versus: "edelliseen neljännekseen",
    band: "Top {{band}} vastaavista tiimeistä",
    teamType: "Tiimin tyyppi",
    chartTitle: "Viikko viikolta",
    year: {
      kicker: "Vuosikatsaus",
      versus: "viime vuoteen",
      chartTitle: "Kuukausi kuukaudelta",
      bestWeek: "Paras kuukausi",
      partialWeek: "Kuluva kuukausi, suhteutettu",
    },
    bestWeek: "Paras viikko",
    partialWeek: "Vajaa viikko, suhteutettu",
    highlights: "Kohokohdat",
    scan: "Skannaa ja avaa katsaus",
  },
  de: {
    kicker: "Quartalsrückblick",
    versus: "ggü. Vorquartal",
    band: "Top {{band}} vergleichbarer Teams",
    teamType: "Teamtyp",
    chartTitle: "Woche für Woche",
    year: {
      kicker: "Jahresrückblick",
      versus: "ggü. Vorjahr",
      chartTitle: "Monat für Monat",
      bestWeek: "Bester Monat",
      partialWeek: "Laufender Monat, hochgerechnet",
    },
    bestWeek: "Beste Woche",
    partialWeek: "Teilwoche, hochgerechnet",
    highlights: "Highlights",
    scan: "Scannen und Rückblick öffnen",
  },
  sv: {
    kicker: "Kvartalsöversikt",
    versus: "mot förra kvartalet",
    band: "Topp {{band}} av liknande team",
    teamType: "Teamtyp",
    chartTitle: "Vecka för vecka",
    year: {
      kicker: "Årsöversikt",
      versus: "mot förra året",
      chartTitle: "Månad för månad",
      bestWeek: "Bästa månaden",
      partialWeek: "Innevarande månad, uppräknad",
    },
    bestWeek: "Bästa veckan",
    partialWeek: "Delvecka, uppräknad",
    highlights: "Höjdpunkter",
    scan: "Skanna och öppna översikten",
  },
};

export function cardWords(locale: SupportedLocale): CardWords {
  return WORDS[locale];
}

/**
 * A milestone recap over a trailing window ("the last 90 days") is not a quarterly recap, and its
 * changes compare with the same number of days just before.
 */
const TRAILING_WORDS: Record<SupportedLocale, Pick<CardWords, "kicker" | "versus">> = {
  en: { kicker: "Milestone recap", versus: "vs. the period before" },
  et: { kicker: "Verstaposti kokkuvõte", versus: "eelneva perioodiga" },
  fi: { kicker: "Virstanpylväskatsaus", versus: "edelliseen jaksoon" },
  de: { kicker: "Meilenstein-Rückblick", versus: "ggü. Vorzeitraum" },
  sv: { kicker: "Milstolpsöversikt", versus: "mot perioden innan" },
};

export function trailingCardWords(locale: SupportedLocale): CardWords {
  return { ...WORDS[locale], ...TRAILING_WORDS[locale] };
}
