import { describe, expect, it } from "vitest";
import { SUPPORTED_LOCALES, type SupportedLocale } from "../../src/i18n/locales.js";
import { loadFonts } from "../../src/rendering/fonts.js";
import {
  CARD_SIZES,
  type CardSize,
  type RenderInput,
  THEMES,
  type Theme,
} from "../../src/rendering/rendering.types.js";
import { lineCount } from "../../templates/fit.js";
import { buildRecapModel, type RecapModel } from "../../templates/model.js";
import { digest, fact, milestoneDigest, renderInput } from "./fixtures.js";
import { type Box, type CardLayout, cardLayout, layoutProblems } from "./layout-check.js";
import { LONG_HEADLINES } from "./support.js";

/**
 * No two text blocks touch and no text leaves its box, on every size × theme × locale, with the
 * longest texts the copy schema allows (headline 60, subheadline 120, highlights 3 × 140,
 * transparency note 160 characters), the longest account (200) and product (60) names the APIs
 * accept, and numbers as long as the formatter writes them. Layout only: satori's boxes and SVG, no
 * PNG (see layout-check.ts).
 */
const fonts = loadFonts();
const SIZES = Object.keys(CARD_SIZES) as CardSize[];

/** The area outside which nothing may be drawn: each design's outer padding, less a few pixels. */
const SAFE: Record<CardSize, Box> = {
  linkedin: { left: 40, top: 30, right: 1200 - 40, bottom: 627 - 24 },
  square: { left: 56, top: 48, right: 1080 - 56, bottom: 1080 - 40 },
  story: { left: 72, top: 120, right: 1080 - 72, bottom: 1920 - 140 },
};

const ACCOUNT =
  "Bauunternehmung Müller-Lüdenscheidt und Söhne Kommanditgesellschaft auf Aktien, Niederlassung Äußere Schwäbische Alb, Abteilung für Qualitätssicherung und Rechnungsprüfung (Ost)";
const PRODUCT = "Ledgerly Automation Suite für Finanzbuchhaltung und Zahlungen";

/** `text` repeated and cut to exactly `length` characters, ending on a letter. */
function longest(text: string, length: number): string {
  let out = text;
  while (out.length < length) out = `${out} ${text}`;
  return `${out.slice(0, length - 1).trimEnd()}.`.padEnd(length, "x").slice(0, length);
}

const SENTENCES: Record<SupportedLocale, string> = {
  en: "Our finance team automated the whole month-end close and caught every duplicate invoice before payment",
  et: "Meie finantstiim automatiseeris kuulõpu sulgemise ja peatas iga topeltarve enne maksmist õigel ajal",
  fi: "Talousosastomme automatisoi koko kuukausisulkemisen ja pysäytti jokaisen päällekkäisen laskun ajoissa",
  de: "Unsere Finanzabteilung hat den Monatsabschluss automatisiert und jede doppelte Rechnung rechtzeitig gestoppt",
  sv: "Vårt ekonomiteam automatiserade hela månadsbokslutet och stoppade varje dubblettfaktura före betalning",
};

/** The widest numbers format.ts writes for sane inputs: eight-figure hours, twelve-figure sums, five-figure changes. */
function longestDigest() {
  return digest({
    facts: [
      fact("metric:hours_saved", {
        unit: "hours",
        value: 1_284_567.5,
        previousValue: 10,
        changePercent: 12_845_575.5,
        improved: true,
        percentileBand: 10,
        outcomeKind: "time_saved",
      }),
      fact("metric:discounts_captured", {
        unit: "money",
        value: 987_654_321_098,
        previousValue: 10,
        changePercent: -99.9,
        improved: false,
        percentileBand: 25,
        outcomeKind: "money",
      }),
      fact("roi", { unit: "ratio", value: 99_999.9, label: "ROI", percentileBand: 10 }),
    ],
  });
}

/** Drafted once per language; the theme only changes the palette. */
const inputs = new Map<SupportedLocale, Promise<RenderInput>>();

function longestInput(locale: SupportedLocale): Promise<RenderInput> {
  const recapDigest = longestDigest();
  const sentence = SENTENCES[locale];
  const input =
    inputs.get(locale) ??
    renderInput({
      locale,
      digest: recapDigest,
      accountName: ACCOUNT,
      brand: { productName: PRODUCT },
      copy: {
        headline: LONG_HEADLINES[locale],
        subheadline: longest(sentence, 120),
        highlights: recapDigest.facts.map((entry) => ({ factId: entry.id, text: longest(sentence, 140) })),
        transparencyNote: longest(sentence, 160),
      },
    });
  inputs.set(locale, input);
  return input;
}

async function longestModel(locale: SupportedLocale, theme: Theme) {
  return buildRecapModel({ ...(await longestInput(locale)), theme });
}

/** Drafted once per language and variant, like the longest texts. */
const typicalInputs = new Map<string, Promise<RenderInput>>();

/** The everyday case: the fixture's quarter with the copy the template drafter writes, in both variants. */
async function typicalModel(locale: SupportedLocale, theme: Theme, variant: "A" | "B") {
  const key = `${locale}-${variant}`;
  const input = typicalInputs.get(key) ?? renderInput({ locale, variant });
  typicalInputs.set(key, input);
  return buildRecapModel({ ...(await input), theme });
}

/**
 * The title as drawn: its lines from satori's box (line height 1.1 plus the 0.22 em of padding the
 * headline keeps for accents and descenders) against the lines its words need at the size and
 * width satori used, by the fonts' own metrics. More words than lines means an ellipsis.
 */
function titleCut(layout: CardLayout, model: RecapModel): string | null {
  const title = layout.texts.find((block) => block.text === model.title);
  if (!title) return `the title "${model.title}" is not on the card`;
  const { box, fontSize } = title;
  const drawn = Math.round((box.bottom - box.top - fontSize * 0.22) / (fontSize * 1.1));
  const needed = lineCount(fonts.measure, model.title, 800, fontSize, box.right - box.left, 1);
  return needed > drawn ? `the title needs ${needed} lines at ${fontSize} px and is cut to ${drawn}` : null;
}

describe("card layout", () => {
  for (const size of SIZES)
    for (const theme of THEMES)
      it.each(SUPPORTED_LOCALES)(
        `keeps every text block apart and inside its box on the ${size} card in ${theme}, %s, longest and typical texts, the typical title whole`,
        async (locale) => {
          const layout = await cardLayout(size, await longestModel(locale, theme), fonts);
          expect(layout.texts.filter((block) => block.ink).length).toBeGreaterThan(8);
          expect(layoutProblems(layout, SAFE[size])).toEqual([]);
          // The drafted copy in variant A and B. B's subheadline is the archetype's tagline, which
          // the square and the story take as their title when the headline repeats the hero number
          // (a German tagline was cut with an ellipsis there); the LinkedIn card's wide title box
          // takes it easily, so it checks B on alternate languages only.
          const alternate: "A" | "B" = SUPPORTED_LOCALES.indexOf(locale) % 2 === 0 ? "A" : "B";
          for (const variant of size === "linkedin" ? [alternate] : (["A", "B"] as const)) {
            const model = await typicalModel(locale, theme, variant);
            const typical = await cardLayout(size, model, fonts);
            expect(layoutProblems(typical, SAFE[size]), variant).toEqual([]);
            expect(titleCut(typical, model), variant).toBeNull();
          }
        },
      );
});

/**
 * The year in review's monthly chart, drafted as the fixture's quarter but counted over a year: twelve
 * months (a year nearly done) or four (its first months, which keep their short names). The theme
 * only changes the palette, so one theme covers both.
 */
function yearDigest(monthCount: number) {
  const base = digest();
  const points = Array.from({ length: monthCount }, (_, month) => ({
    start: `2026-${String(month + 1).padStart(2, "0")}-01`,
    value: 300 + ((month * 37) % 120),
  }));
  const end = `2026-${String(monthCount).padStart(2, "0")}-20T12:00:00.000Z`;
  return {
    ...base,
    period: { label: "2026", start: "2025-12-31T22:00:00.000Z", end, timeZone: "Europe/Tallinn", yearToDate: true },
    chart: base.chart ? { ...base.chart, granularity: "month" as const, points } : null,
  };
}

describe("the year in review's month axis", () => {
  for (const size of SIZES)
    it.each(SUPPORTED_LOCALES)(
      `fits twelve months, and four, without a label touching another on the ${size} card, %s`,
      async (locale) => {
        for (const monthCount of [12, 4]) {
          const model = buildRecapModel(await renderInput({ locale, digest: yearDigest(monthCount) }));
          expect(model.chart?.months.length, `${monthCount} months`).toBe(monthCount);
          const layout = await cardLayout(size, model, fonts);
          // A card wide enough prints the short names ("Jan"), the others the narrow ones ("J").
          const axis = model.chart?.months.flatMap((month) => [month.label, month.short]) ?? [];
          expect(layout.texts.filter((block) => axis.includes(block.text.trim())).length).toBeGreaterThanOrEqual(
            monthCount,
          );
          expect(layoutProblems(layout, SAFE[size]), `${monthCount} months`).toEqual([]);
        }
      },
    );
});

describe("a milestone window's month axis", () => {
  for (const size of SIZES)
    it(`names the window's months but not the two days of October at its edge on the ${size} card`, async () => {
      for (const locale of SUPPORTED_LOCALES) {
        const model = buildRecapModel(await renderInput({ locale, digest: milestoneDigest() }));
        const [july, august, september, october] = model.chart?.months ?? [];
        expect(october?.days, locale).toBe(2);
        const layout = await cardLayout(size, model, fonts);
        const printed = layout.texts.map((block) => block.text.trim());
        for (const month of [july, august, september]) expect(printed, locale).toContain(month?.short);
        // A name under a two-day sliver would run past the last bar: the month shows only its tick.
        expect(printed, locale).not.toContain(october?.short);
        expect(layoutProblems(layout, SAFE[size]), locale).toEqual([]);
      }
    });
});

describe("the layout check", () => {
  const text = (name: string, box: Box, raw: Box = box) => ({ text: name, fontSize: 20, box, ink: raw, raw });
  const safe = { left: 0, top: 0, right: 1000, bottom: 1000 };

  it("reports two text blocks whose ink overlaps or comes closer than the gap", () => {
    const layout = {
      svg: "",
      panels: [],
      texts: [
        text("497 h", { left: 10, top: 10, right: 200, bottom: 60 }),
        text("8×", { left: 203, top: 10, right: 260, bottom: 60 }),
      ],
    };
    expect(layoutProblems(layout, safe)).toEqual([expect.stringContaining('"497 h" [10,10,200,60] and "8×"')]);
  });

  it("reports a glyph cut by its box and text reaching into the card's margin", () => {
    const box = { left: 10, top: 10, right: 200, bottom: 60 };
    const layout = { svg: "", panels: [], texts: [text("1,284 h", box, { ...box, bottom: 66 })] };
    expect(layoutProblems(layout, { ...safe, bottom: 62 })).toEqual([
      '"1,284 h" leaves its box [10,10,200,60] by 4.5 px too many',
      '"1,284 h" reaches 4.0 px into the card\'s margin',
    ]);
  });
});
