import { isSupportedLocale, type SupportedLocale } from "../i18n/locales.js";

export type ShareLabels = {
  numbers: string;
  highlights: string;
  shareOnLinkedIn: string;
  linkedInHint: string;
  postText: string;
  copyPost: string;
  downloadPdf: string;
  copyLink: string;
  emailTeam: string;
  copied: string;
  link: string;
  notFoundTitle: string;
  notFoundText: string;
  goneTitle: string;
  goneText: string;
};

const LABELS: Record<SupportedLocale, ShareLabels> = {
  en: {
    numbers: "The quarter in numbers",
    highlights: "Highlights",
    shareOnLinkedIn: "Share on LinkedIn",
    linkedInHint: "The post text is copied to your clipboard: paste it into LinkedIn.",
    postText: "Post text",
    copyPost: "Copy post text",
    downloadPdf: "Download PDF",
    copyLink: "Copy link",
    emailTeam: "Email to the team",
    copied: "Copied",
    link: "Link",
    notFoundTitle: "Recap not found",
    notFoundText: "This link does not lead to a recap.",
    goneTitle: "Recap no longer shared",
    goneText: "Its owner has taken this recap down.",
  },
  et: {
    numbers: "Kvartal numbrites",
    highlights: "Tipphetked",
    shareOnLinkedIn: "Jaga LinkedInis",
    linkedInHint: "Postituse tekst kopeeritakse lõikelauale: kleebi see LinkedIni.",
    postText: "Postituse tekst",
    copyPost: "Kopeeri postituse tekst",
    downloadPdf: "Laadi alla PDF",
    copyLink: "Kopeeri link",
    emailTeam: "Saada meeskonnale e-kirjaga",
    copied: "Kopeeritud",
    link: "Link",
    notFoundTitle: "Kokkuvõtet ei leitud",
    notFoundText: "See link ei vii ühegi kokkuvõtteni.",
    goneTitle: "Kokkuvõtet enam ei jagata",
    goneText: "Omanik on selle kokkuvõtte eemaldanud.",
  },
  fi: {
    numbers: "Neljännes numeroina",
    highlights: "Kohokohdat",
    shareOnLinkedIn: "Jaa LinkedInissä",
    linkedInHint: "Julkaisun teksti kopioidaan leikepöydälle: liitä se LinkedIniin.",
    postText: "Julkaisun teksti",
    copyPost: "Kopioi julkaisun teksti",
    downloadPdf: "Lataa PDF",
    copyLink: "Kopioi linkki",
    emailTeam: "Lähetä tiimille sähköpostilla",
    copied: "Kopioitu",
    link: "Linkki",
    notFoundTitle: "Koostetta ei löytynyt",
    notFoundText: "Tämä linkki ei johda mihinkään koosteeseen.",
    goneTitle: "Koostetta ei enää jaeta",
    goneText: "Omistaja on poistanut koosteen jaosta.",
  },
  de: {
    numbers: "Das Quartal in Zahlen",
    highlights: "Highlights",
    shareOnLinkedIn: "Auf LinkedIn teilen",
    linkedInHint: "Der Beitragstext wird in die Zwischenablage kopiert: füge ihn auf LinkedIn ein.",
    postText: "Beitragstext",
    copyPost: "Beitragstext kopieren",
    downloadPdf: "PDF herunterladen",
    copyLink: "Link kopieren",
    emailTeam: "Per E-Mail ans Team",
    copied: "Kopiert",
    link: "Link",
    notFoundTitle: "Rückblick nicht gefunden",
    notFoundText: "Dieser Link führt zu keinem Rückblick.",
    goneTitle: "Rückblick nicht mehr geteilt",
    goneText: "Der Eigentümer hat diesen Rückblick zurückgezogen.",
  },
  sv: {
    numbers: "Kvartalet i siffror",
    highlights: "Höjdpunkter",
    shareOnLinkedIn: "Dela på LinkedIn",
    linkedInHint: "Inläggets text kopieras till urklipp: klistra in den på LinkedIn.",
    postText: "Inläggets text",
    copyPost: "Kopiera inläggets text",
    downloadPdf: "Ladda ner PDF",
    copyLink: "Kopiera länk",
    emailTeam: "Mejla till teamet",
    copied: "Kopierat",
    link: "Länk",
    notFoundTitle: "Sammanfattningen hittades inte",
    notFoundText: "Den här länken leder inte till någon sammanfattning.",
    goneTitle: "Sammanfattningen delas inte längre",
    goneText: "Ägaren har tagit ner sammanfattningen.",
  },
};

export function shareLocale(locale: string | null | undefined): SupportedLocale {
  const base = (locale ?? "en").slice(0, 2).toLowerCase();
  return isSupportedLocale(base) ? base : "en";
}

export function shareLabels(locale: string | null | undefined): ShareLabels {
  return LABELS[shareLocale(locale)];
}
