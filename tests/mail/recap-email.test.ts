import { describe, expect, it } from "vitest";
import { formatPeriodInTitle } from "../../src/i18n/format.js";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales.js";
import { composeRecapEmail, type RecapEmailInput } from "../../src/mail/recap-email.js";

const base: RecapEmailInput = {
  locale: "en",
  kind: "quarterly",
  product: "R&D <Flows>",
  period: "Q3 2026",
  previewUrl: "https://recaps.example.com/p/abc",
  // Late evening UTC: already the next day in Helsinki, the account's zone.
  expiresAt: new Date("2026-12-13T23:30:00Z"),
  timeZone: "Europe/Helsinki",
  card: null,
  cardUrl: "https://recaps.example.com/p/abc/assets/linkedin",
};

describe("the recap e-mail", () => {
  it("is written in each of the five languages, with no placeholder left", () => {
    const subjects = new Set<string>();
    for (const locale of SUPPORTED_LOCALES) {
      const email = composeRecapEmail({ ...base, locale });
      subjects.add(email.subject);
      for (const part of [email.subject, email.text, email.html]) expect(part, locale).not.toMatch(/\{\{|\}\}/);
      expect(email.text, locale).toContain(base.previewUrl);
      expect(email.text, locale).toContain("Q3 2026");
    }
    expect(subjects.size).toBe(SUPPORTED_LOCALES.length);
  });

  it("dates the link's expiry on the customer's own calendar day", () => {
    expect(composeRecapEmail({ ...base, locale: "fi" }).text).toContain("14. joulukuuta 2026");
    expect(composeRecapEmail({ ...base, locale: "de" }).text).toContain("14. Dezember 2026");
  });

  it("escapes the product name in the HTML part and keeps it as written in the text part", () => {
    const email = composeRecapEmail(base);
    expect(email.html).toContain("R&amp;D &lt;Flows&gt;");
    expect(email.html).not.toContain("<Flows>");
    expect(email.text).toContain("R&D <Flows>");
  });

  it("attaches the card and shows it inline when there is one, and links to it when there is not", () => {
    const card = new Uint8Array([137, 80, 78, 71]);
    const attached = composeRecapEmail({ ...base, card });
    expect(attached.attachments).toHaveLength(1);
    expect(attached.attachments[0]?.contentType).toBe("image/png");
    expect(attached.html).toContain(`cid:${attached.attachments[0]?.cid}`);
    expect(attached.html).not.toContain(base.cardUrl);
    const linked = composeRecapEmail(base);
    expect(linked.attachments).toEqual([]);
    expect(linked.text).toContain(base.cardUrl);
    expect(linked.html).toContain(`href="${base.cardUrl}"`);
  });

  it("calls an annual recap the year in review in every language, with the year so far in its words", () => {
    const words = {
      en: ["Your year in review is ready", "year in review (2026 so far)"],
      et: ["Teie aastakokkuvõte on valmis", "aastakokkuvõtte (2026. aasta seni)"],
      fi: ["Vuosikatsauksenne on valmis", "vuosikatsauksen (2026 tähän mennessä)"],
      de: ["Ihr Jahresrückblick ist fertig", "Jahresrückblick Ihres Teams zusammengestellt (2026 bis heute)"],
      sv: ["Din årssammanfattning är klar", "under året (2026 hittills)"],
    } as const;
    for (const locale of SUPPORTED_LOCALES) {
      const period = formatPeriodInTitle({ label: "2026", yearToDate: true }, locale);
      const email = composeRecapEmail({ ...base, locale, kind: "annual", period });
      expect(email.subject, locale).toContain(words[locale][0]);
      expect(email.text.replaceAll("\u00a0", " "), locale).toContain(words[locale][1]);
      expect(`${email.subject} ${email.text}`, locale).not.toMatch(/quarter|kvartal|neljännes|Quartal|\{\{/i);
    }
  });

  it("names a milestone's moment in the subject and the opening, in every language", () => {
    const subjects = {
      en: "Milestone reached: First integration live – preview and publish your recap",
      et: "Verstapost käes: First integration live – vaadake kokkuvõte üle ja avaldage",
      fi: "Virstanpylväs saavutettu: First integration live – katso ja julkaise katsaus",
      de: "Meilenstein erreicht: First integration live – Rückblick ansehen und veröffentlichen",
      sv: "Milstolpe nådd: First integration live – titta på och publicera sammanfattningen",
    } as const;
    for (const locale of SUPPORTED_LOCALES) {
      const period = formatPeriodInTitle("P90D/2026-10-02", locale);
      const email = composeRecapEmail({ ...base, locale, kind: "milestone", moment: "First integration live", period });
      expect(email.subject, locale).toBe(subjects[locale]);
      expect(email.text, locale).toContain(": First integration live. ");
      expect(email.text, locale).toContain(period);
      expect(email.html, locale).toContain("First integration live");
      expect(`${email.subject} ${email.text}`, locale).not.toMatch(/quarter|kvartal|neljännes|Quartal|\{\{/i);
    }
  });

  it("keeps a moment's name to one clean line, and says milestone without one", () => {
    const tricky = composeRecapEmail({ ...base, kind: "milestone", moment: "First\r\nBcc: x@example.com <b>live</b>" });
    expect(tricky.subject).not.toMatch(/[\r\n<>]/);
    const older = composeRecapEmail({ ...base, kind: "milestone", moment: null, period: "Jul 4 – Oct 2, 2026" });
    expect(older.subject).toBe("Your milestone recap is ready – preview and publish");
    expect(older.text).toContain("Your team has reached a new milestone.");
    expect(older.text).toContain("on the way there (Jul 4 – Oct 2, 2026)");
  });

  it("keeps the quarterly wording for a quarter", () => {
    const email = composeRecapEmail(base);
    expect(email.subject).toBe("Your quarterly recap is ready – preview and publish");
    expect(email.text).toContain("what your team achieved in Q3 2026");
  });
});
