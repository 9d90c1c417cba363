import { describe, expect, it } from "vitest";
import { buildRecapModel } from "../../templates/model.js";
import { digest, renderInput } from "./fixtures.js";

describe("the recap model the designs lay out", () => {
  it("shows the three headline facts with their formatted numbers", async () => {
    const model = buildRecapModel(await renderInput({ locale: "fi" }));
    expect(model.numbers.map((entry) => entry.value)).toEqual(["1\u00a0284\u00a0h", "312", "8,1×"]);
    expect(model.numbers[0]?.band).toBe("Top 10\u00a0% vastaavista tiimeistä");
  });

  it("never shows a fall of a higher-is-better metric as good news", async () => {
    const model = buildRecapModel(await renderInput());
    const errors = model.numbers.find((entry) => entry.id === "metric:errors_prevented");
    expect(errors?.change).toEqual({ text: "\u221210.3%", direction: "down", verdict: "worse" });
    expect(model.numbers[0]?.change).toEqual({ text: "+31%", direction: "up", verdict: "better" });
  });

  it("shows a fall of a lower-is-better metric as an improvement", async () => {
    const base = digest();
    const facts = base.facts.map((fact) =>
      fact.id === "metric:errors_prevented" ? { ...fact, improved: true } : fact,
    );
    const model = buildRecapModel(await renderInput({ digest: digest({ facts }) }));
    expect(model.numbers[1]?.change).toMatchObject({ direction: "down", verdict: "better" });
  });

  it("leaves hidden facts out of the numbers, the highlights and the chart", async () => {
    const model = buildRecapModel(await renderInput({ hiddenFactIds: ["metric:hours_saved"] }));
    expect(model.numbers.map((entry) => entry.id)).toEqual([
      "metric:errors_prevented",
      "roi",
      "metric:discounts_captured",
    ]);
    expect(model.highlights.join(" ")).not.toContain("hours");
    expect(model.chart).toBeNull();
  });

  it("labels the numbers of a Finnish recap in Finnish, and the tenant's own labels.fi wins", async () => {
    const shipped = buildRecapModel(await renderInput({ locale: "fi" }));
    const hours = shipped.numbers.find((entry) => entry.id === "metric:hours_saved");
    expect(hours).toMatchObject({ caption: "manuaalista työtä automatisoitu", label: "Automatisoitu manuaalinen työ" });
    expect(shipped.chart?.caption).toBe("manuaalista työtä automatisoitu");
    for (const entry of shipped.numbers) expect(entry.caption).not.toMatch(/^[A-Z][a-z]+ [a-z]+/);
    const facts = digest().facts.map((fact) =>
      fact.id === "metric:hours_saved"
        ? { ...fact, labels: { fi: "Kirjauksia automatisoitu", de: "Buchungen" } }
        : fact,
    );
    const own = buildRecapModel(await renderInput({ locale: "fi", digest: digest({ facts }) }));
    expect(own.numbers.find((entry) => entry.id === "metric:hours_saved")).toMatchObject({
      caption: "Kirjauksia automatisoitu",
      label: "Kirjauksia automatisoitu",
    });
    expect(own.chart?.caption).toBe("Kirjauksia automatisoitu");
    // Another language's label is not borrowed: a Swedish recap keeps the shipped Swedish words.
    const swedish = buildRecapModel(await renderInput({ locale: "sv", digest: digest({ facts }) }));
    expect(swedish.numbers.find((entry) => entry.id === "metric:hours_saved")?.caption).toBe(
      "manuellt arbete automatiserat",
    );
  });

  it("shows one or two numbers when the digest has only one or two facts", async () => {
    const facts = digest().facts;
    const one = buildRecapModel(await renderInput({ digest: digest({ facts: facts.slice(0, 1) }) }));
    const two = buildRecapModel(await renderInput({ digest: digest({ facts: facts.slice(0, 2) }) }));
    expect(one.numbers).toHaveLength(1);
    expect(two.numbers).toHaveLength(2);
  });

  it("names the archetype in the recap's language", async () => {
    const names = await Promise.all(
      (["en", "et", "fi", "de", "sv"] as const).map(
        async (locale) => buildRecapModel(await renderInput({ locale })).archetype.name,
      ),
    );
    expect(names).toEqual(["The Automator", "Automatiseerija", "Automatisoija", "Automatisierer", "Automatiseraren"]);
  });

  it("keeps a period label the copy wrote with a plain space on one line", async () => {
    const model = buildRecapModel(
      await renderInput({ copy: { headline: "Kide automated 1,284 h in Q3 2026", subheadline: "Q4  2026 next" } }),
    );
    expect(model.headline).toBe("Kide automated 1,284 h in Q3\u00a02026");
    expect(model.subheadline).toBe("Q4\u00a02026 next");
    expect(model.period).toBe("Q3\u00a02026");
  });

  it("does not repeat the account name over a headline that already says it", async () => {
    const named = buildRecapModel(
      await renderInput({ copy: { headline: "Kide Analytics Oy closed the month in a day" } }),
    );
    const plain = buildRecapModel(await renderInput({ copy: { headline: "Q3 2026: the month closed in a day" } }));
    expect(named.accountLine).toBe(false);
    expect(plain.accountLine).toBe(true);
  });

  it("composes decomposed names and keeps no-break spaces", async () => {
    const model = buildRecapModel(await renderInput({ accountName: "  Ka\u0308rntner\n AB " }));
    expect(model.account).toBe("Kärntner AB");
    expect(model.numbers[0]?.value).toContain("\u00a0");
  });

  it("prints each number once: a headline that says the lead number gives its place to the subheadline", async () => {
    const model = buildRecapModel(
      await renderInput({
        copy: {
          headline: "Kide Analytics Oy automated 1,284 h of manual work",
          subheadline: "What Flowbase delivered in Q3 2026: measured, not estimated.",
          highlights: [
            { factId: "metric:hours_saved", text: "We automated 1,284 hours of manual work." },
            { factId: "roi", text: "Every euro of the subscription came back several times over." },
          ],
        },
      }),
    );
    expect(model.title).toBe("What Flowbase delivered in Q3\u00a02026: measured, not estimated.");
    expect(model.headline).toContain("1,284");
    expect(model.cardHighlights).toEqual(["Every euro of the subscription came back several times over."]);
  });

  it("shows no change for the worse in variant B and states it in variant A", async () => {
    const errors = (variant: "A" | "B") =>
      renderInput({ variant }).then((input) =>
        buildRecapModel(input).numbers.find((entry) => entry.id === "metric:errors_prevented"),
      );
    expect((await errors("A"))?.change).toMatchObject({ direction: "down", verdict: "worse" });
    expect((await errors("B"))?.change).toBeNull();
    const proud = buildRecapModel(await renderInput({ variant: "B" }));
    expect(proud.numbers.flatMap((entry) => (entry.change ? [entry.change.verdict] : []))).toEqual(["better"]);
  });

  it("shows no 0 % or −0 % change cue for a change that rounds to nothing, on the card and the PDF alike", async () => {
    const flat = digest().facts.map((fact) =>
      fact.id === "metric:hours_saved"
        ? { ...fact, changePercent: 0, improved: false }
        : fact.id === "metric:errors_prevented"
          ? { ...fact, changePercent: -0.04 }
          : fact,
    );
    for (const locale of ["en", "et", "fi", "de", "sv"] as const) {
      const model = buildRecapModel(await renderInput({ locale, digest: digest({ facts: flat }) }));
      const cues = model.numbers.flatMap((entry) => (entry.change ? [entry.change.text] : []));
      expect(
        cues.filter((text) => /(?<![\d,.])0\s?%/u.test(text)),
        locale,
      ).toEqual([]);
      expect(model.numbers.find((entry) => entry.id === "metric:hours_saved")?.change, locale).toBeNull();
      expect(model.numbers.find((entry) => entry.id === "metric:errors_prevented")?.change, locale).toBeNull();
    }
  });

  it("gives the archetype a tagline the copy does not already print (variant B's subheadline is the first)", async () => {
    const proud = buildRecapModel(await renderInput({ locale: "de", variant: "B" }));
    expect(proud.subheadline).toMatch(/^Automatisierer überlassen/);
    expect(proud.archetype.tagline).toBe("Automatisierer machen nichts von Hand, was die Maschine besser kann.");
    const plain = buildRecapModel(await renderInput({ locale: "de", variant: "A" }));
    expect(plain.archetype.tagline).toBe(proud.subheadline);
  });

  it("prorates the partial first and last weeks and names the months on the axis", async () => {
    const chart = buildRecapModel(await renderInput({ locale: "fi" })).chart;
    // Q3 2026 starts on a Wednesday: five days (three working days) of the first Monday week, three of the last.
    expect(chart?.bars[0]).toMatchObject({ days: 5, partial: true, value: (44 * 5) / 3 });
    expect(chart?.bars.at(-1)).toMatchObject({ days: 3, partial: true, value: (46 * 5) / 3 });
    expect(chart?.bars.filter((bar) => bar.partial)).toHaveLength(2);
    expect(chart?.bars.find((bar) => bar.best)).toMatchObject({ partial: false, value: 124 });
    // Three days of a month-end rush prorated would tower over the quarter: capped at the best full week.
    const rush = digest();
    rush.chart?.points.splice(-1, 1, { start: "2026-09-28", value: 100 });
    const capped = buildRecapModel(await renderInput({ digest: rush })).chart;
    expect(capped?.bars.at(-1)).toMatchObject({ partial: true, value: 124, best: false });
    expect(chart?.months).toEqual([
      { label: "heinä", short: "heinä", days: 31 },
      { label: "elo", short: "elo", days: 31 },
      { label: "syys", short: "syys", days: 30 },
    ]);
  });
});
