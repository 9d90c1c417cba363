import { describe, expect, it } from "vitest";
import type { RecapCopy } from "../../src/drafting/copy.schema.js";
import { createInProcessRenderer } from "../../src/rendering/renderer.js";
import { CARD_SIZES, type CardSize, THEMES } from "../../src/rendering/rendering.types.js";
import { renderInput } from "./fixtures.js";
import { GOLDEN_TOLERANCE, matchGolden } from "./support.js";

/**
 * Every card design in both themes and two languages against the images in golden/. A deliberate
 * design change is accepted with `UPDATE_GOLDEN=1 npx vitest run tests/rendering/golden.test.ts`
 * (and a TEMPLATE_VERSION bump); the images then go into the same commit, reviewed like code.
 */
const renderer = createInProcessRenderer();
const SIZES = Object.keys(CARD_SIZES) as CardSize[];

/** Copy pinned here, so an edit to the drafter's sentence templates does not move the goldens. */
const COPY: Record<"en" | "fi", Partial<RecapCopy>> = {
  en: {
    headline: "Kide Analytics Oy automated 1,284 h of manual work",
    subheadline: "What Flowbase delivered in Q3 2026: measured, not estimated.",
    highlights: [
      { factId: "metric:hours_saved", text: "Automation took over 1,284 hours of manual work. In money: €51,360." },
      { factId: "metric:errors_prevented", text: "Stopped before any customer noticed: 312 errors." },
      { factId: "roi", text: "The investment paid off: 8.1× back on the subscription." },
    ],
    transparencyNote: "Based on your team's usage of Flowbase in Q3 2026, compared anonymously with similar teams.",
  },
  fi: {
    headline: "Kide Analytics Oy: 1 284 h käsityötä koneelle",
    subheadline: "Mitä Flowbase tuotti jaksolla Q3 2026: mitattu, ei arvioitu.",
    highlights: [
      { factId: "metric:hours_saved", text: "Automaatio hoiti 1 284 tuntia käsityötä. Rahassa: 51 360 €." },
      { factId: "metric:errors_prevented", text: "Pysäytetty ennen kuin asiakas huomasi: 312 virhettä." },
      { factId: "roi", text: "Investointi kannatti: 8,1× tuotto tilaukselle." },
    ],
    transparencyNote:
      "Perustuu tiiminne Flowbase-käyttöön jaksolla Q3 2026. Vertailu vastaaviin tiimeihin on anonyymi.",
  },
};

describe("golden images", () => {
  for (const locale of ["en", "fi"] as const)
    for (const theme of THEMES)
      it.each(SIZES)(`match the %s card in ${theme}, ${locale}`, async (size) => {
        const asset = await renderer.render(size, await renderInput({ locale, theme, copy: COPY[locale] }));
        const { share } = await matchGolden(`${size}-${theme}-${locale}`, asset.bytes);
        expect(share).toBeLessThanOrEqual(GOLDEN_TOLERANCE);
      });
});
