import type { Topic } from "../src/drafting/template-facts.js";
import type { SupportedLocale } from "../src/i18n/locales.js";

/**
 * The few fixed words the designs print around the copy: labels, the caption under each big
 * number, the peer band's wording. They are part of the layout (their length is designed for), so
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
  /** The caption under a big number: by default-model metric key first, then by topic. */
  captions: Record<Topic, string> & Record<string, string>;
};

const WORDS: Record<SupportedLocale, CardWords> = {
  en: {
    kicker: "Quarterly recap",
    versus: "vs. last quarter",
    band: "Top {{band}} of similar teams",
    teamType: "Team type",
    chartTitle: "Week by week",
    bestWeek: "Best week",
    partialWeek: "Partial week, prorated",
    highlights: "Highlights",
    scan: "Scan to open the recap",
    captions: {
      hours_saved: "manual work automated",
      errors_prevented: "errors caught before customers",
      discounts_captured: "early-payment discounts",
      active_users: "active colleagues",
      time_saved: "working time saved",
      money: "value created",
      risk_reduced: "risks stopped early",
      speed_gained: "less waiting",
      adoption: "uses in daily work",
      roi: "return on the subscription",
      measure: "key figure this quarter",
    },
  },
  et: {
    kicker: "Kvartali kokkuvõte",
    versus: "eelmise kvartaliga",
    band: "Top {{band}} sarnaste tiimide seas",
    teamType: "Tiimi tüüp",
    chartTitle: "Nädal nädalalt",
    bestWeek: "Parim nädal",
    partialWeek: "Osaline nädal, ümber arvutatud",
    highlights: "Esiletõstetud",
    scan: "Skanni ja ava kokkuvõte",
    captions: {
      hours_saved: "käsitsitööd automatiseeritud",
      errors_prevented: "viga peatatud enne klienti",
      discounts_captured: "kassaallahindlusi",
      active_users: "aktiivset kolleegi",
      time_saved: "tööaega säästetud",
      money: "loodud väärtust",
      risk_reduced: "riski peatatud varakult",
      speed_gained: "vähem ootamist",
      adoption: "kasutuskorda igapäevatöös",
      roi: "tellimuse tasuvus",
      measure: "kvartali võtmenäitaja",
    },
  },
  fi: {
    kicker: "Neljännesvuosikatsaus",
    versus: "edelliseen neljännekseen",
    band: "Top {{band}} vastaavista tiimeistä",
    teamType: "Tiimin tyyppi",
    chartTitle: "Viikko viikolta",
    bestWeek: "Paras viikko",
    partialWeek: "Vajaa viikko, suhteutettu",
    highlights: "Kohokohdat",
    scan: "Skannaa ja avaa katsaus",
    captions: {
      hours_saved: "manuaalista työtä automatisoitu",
      errors_prevented: "virhettä pysäytetty ajoissa",
      discounts_captured: "kassa-alennuksia",
      active_users: "aktiivista kollegaa",
      time_saved: "työaikaa säästetty",
      money: "luotua arvoa",
      risk_reduced: "riskiä torjuttu ajoissa",
      speed_gained: "vähemmän odottelua",
      adoption: "käyttökertaa arjessa",
      roi: "tuotto tilausmaksulle",
      measure: "neljänneksen avainluku",
    },
  },
  de: {
    kicker: "Quartalsrückblick",
    versus: "ggü. Vorquartal",
    band: "Top {{band}} vergleichbarer Teams",
    teamType: "Teamtyp",
    chartTitle: "Woche für Woche",
    bestWeek: "Beste Woche",
    partialWeek: "Teilwoche, hochgerechnet",
    highlights: "Highlights",
    scan: "Scannen und Rückblick öffnen",
    captions: {
      hours_saved: "manuelle Arbeit automatisiert",
      errors_prevented: "Fehler rechtzeitig gestoppt",
      discounts_captured: "Skonto gesichert",
      active_users: "aktive Kolleginnen und Kollegen",
      time_saved: "Arbeitszeit gespart",
      money: "Wert geschaffen",
      risk_reduced: "Risiken früh gestoppt",
      speed_gained: "weniger Wartezeit",
      adoption: "Nutzungen im Arbeitsalltag",
      roi: "Rendite auf das Abo",
      measure: "Kennzahl des Quartals",
    },
  },
  sv: {
    kicker: "Kvartalsöversikt",
    versus: "mot förra kvartalet",
    band: "Topp {{band}} av liknande team",
    teamType: "Teamtyp",
    chartTitle: "Vecka för vecka",
    bestWeek: "Bästa veckan",
    partialWeek: "Delvecka, uppräknad",
    highlights: "Höjdpunkter",
    scan: "Skanna och öppna översikten",
    captions: {
      hours_saved: "manuellt arbete automatiserat",
      errors_prevented: "fel stoppade i tid",
      discounts_captured: "kassarabatter",
      active_users: "aktiva kollegor",
      time_saved: "arbetstid sparad",
      money: "skapat värde",
      risk_reduced: "risker stoppade i tid",
      speed_gained: "mindre väntan",
      adoption: "användningar i vardagen",
      roi: "avkastning på abonnemanget",
      measure: "kvartalets nyckeltal",
    },
  },
};

export function cardWords(locale: SupportedLocale): CardWords {
  return WORDS[locale];
}
