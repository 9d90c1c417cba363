import { describe, expect, it } from "vitest";
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
});
