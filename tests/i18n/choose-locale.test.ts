import { describe, expect, it } from "vitest";
import { chooseLocale } from "../../src/i18n/choose-locale.js";

describe("chooseLocale", () => {
  it("writes the recap in the account's own language when it has one", () => {
    expect(chooseLocale({ locale: "sv" }, { defaultLocale: "fi" })).toBe("sv");
  });

  it("falls back to the tenant's default language, not to English, for an account without one", () => {
    expect(chooseLocale({ locale: null }, { defaultLocale: "et" })).toBe("et");
    expect(chooseLocale({ locale: null }, { defaultLocale: "de" })).not.toBe("en");
  });
});
