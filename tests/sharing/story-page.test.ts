import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { recaps } from "../../src/recaps/recaps.schema.js";
import { makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import type { TestContext } from "../support/test-context.js";
import {
  createLink,
  publishedRecap,
  type SharingTenant,
  SIGNUP_URL,
  servedContext,
  sharingTenant,
} from "./sharing-support.js";

const ACCOUNTS: Record<SupportedLocale, string> = {
  en: "harbor-labs",
  et: "aurora-logistics",
  fi: "kide-analytics",
  de: "nordlicht-gmbh",
  sv: "fjord-ab",
};
const LOCALES = Object.keys(ACCOUNTS) as SupportedLocale[];
const words = (locale: string) =>
  JSON.parse(readFileSync(`locales/${locale}/share.json`, "utf8")) as {
    story: Record<string, string>;
    product: Record<string, string>;
    notFound: Record<string, string>;
    gone: Record<string, string>;
    home: string;
  };

/** The shipped labels a page prints under a number (locales/<lng>/common.json). */
const captions = (locale: string) =>
  (
    JSON.parse(readFileSync(`locales/${locale}/common.json`, "utf8")) as {
      factLabel: { caption: Record<string, string> };
    }
  ).factLabel.caption;

const TAGLINE = { fi: "Taloushallinnon automaatio tiimeille, jotka haluavat kirjat kiinni ajallaan." };

let t: TestContext;
let baseUrl: string;
let stopServer: () => Promise<void>;
let owner: SharingTenant;
let other: SharingTenant;
const published = new Map<SupportedLocale, Awaited<ReturnType<typeof publishedRecap>>>();
const links = new Map<SupportedLocale, Awaited<ReturnType<typeof createLink>>>();

beforeAll(async () => {
  ({ t, baseUrl, stopServer } = await servedContext());
  owner = await sharingTenant(t);
  other = await sharingTenant(t, null);
  const patched = await call(t.app, "PATCH", "/v1/tenant", {
    key: owner.key,
    body: {
      productTagline: TAGLINE,
      productDescription: { fi: "Laskut, hyväksynnät ja maksut kulkevat itsestään." },
      websiteUrl: "https://www.northwind.example/flows",
      defaultLocale: "de",
    },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  await t.startWorkers();
  for (const locale of LOCALES) {
    const recap = await publishedRecap(t, owner, ACCOUNTS[locale]);
    published.set(locale, recap);
    links.set(locale, await createLink(t, owner.backendKey, recap.id, "linkedin"));
  }
}, 300_000);
afterAll(async () => {
  await stopServer();
  await t.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${baseUrl}${path}`, { redirect: "manual", ...init });
const body = (html: string) => /<body>(.*)<\/body>/s.exec(html)?.[1] ?? "";
const count = (text: string, part: string) => text.split(part).length - 1;

describe("the visitor's story", () => {
  for (const locale of LOCALES)
    it(`is readable without JavaScript in ${locale}: four to six slides, numbers labelled in ${locale}, no reviewer labels`, async () => {
      const recap = published.get(locale)!;
      const html = await (await get(`/s/${links.get(locale)?.code}`)).text();
      expect(html).toMatch(new RegExp(`^<!doctype html><html lang="${locale}">`));
      const page = body(html);
      const slides = count(page, "data-slide=");
      expect(slides).toBeGreaterThanOrEqual(4);
      expect(slides).toBeLessThanOrEqual(6);
      // Every slide is plain HTML in the document (the script only pages through them).
      expect(page).toContain('class="slide slide-opening"');
      expect(page).toContain('class="slide slide-cta"');
      const own = words(locale);
      expect(page).toContain(own.story.next);
      // The headline facts are labelled from locales/<lng>/common.json, never with the value model's English label.
      const facts = recap.digest.facts.filter((fact) => recap.digest.headline.slice(0, 3).includes(fact.id));
      expect(facts.length).toBeGreaterThan(0);
      for (const fact of facts) {
        const key = (fact as { metricKey?: string }).metricKey ?? "";
        const caption = captions(locale)[key];
        if (caption) expect(page, `${locale} ${fact.id}`).toContain(caption);
        if (locale !== "en") expect(page, `${locale} ${fact.id}`).not.toContain(`>${fact.label}<`);
      }
      // The headline is said once on the page (the <title> and Open Graph tags aside).
      expect(count(page, recap.copy.headline.replaceAll("&", "&amp;"))).toBe(1);
    });

  it("labels a Finnish recap's numbers with the tenant's own labels.fi over the shipped Finnish words", async () => {
    const recap = published.get("fi")!;
    const [lead] = recap.digest.headline;
    const own = "Täsmäytetyt kuitit";
    const facts = recap.digest.facts.map((fact: { id: string }) =>
      fact.id === lead ? { ...fact, labels: { fi: own, sv: "Avstämda kvitton" } } : fact,
    );
    const stored = (await t.deps.db.select().from(recaps).where(eq(recaps.id, recap.id)))[0]!;
    await t.deps.db
      .update(recaps)
      .set({ digest: { ...stored.digest, facts } as typeof stored.digest })
      .where(eq(recaps.id, recap.id));
    try {
      const page = body(await (await get(`/s/${links.get("fi")?.code}`)).text());
      expect(page).toContain(own);
      const fact = recap.digest.facts.find((candidate: { id: string }) => candidate.id === lead);
      const shipped = captions("fi")[(fact as { metricKey?: string } | undefined)?.metricKey ?? ""];
      if (shipped) expect(page).not.toContain(shipped);
    } finally {
      await t.deps.db.update(recaps).set({ digest: stored.digest }).where(eq(recaps.id, recap.id));
    }
  });

  it("offers the visitor nothing that belongs to the sharer: no copy, e-mail, LinkedIn or download controls", async () => {
    const page = body(await (await get(`/s/${links.get("de")?.code}`)).text());
    for (const control of ["data-copy", "mailto:", "linkedin.com/sending", "<textarea", "download=", "copy-post"])
      expect(page, control).not.toContain(control);
    // The only buttons are the story's own back and forward.
    expect(page.match(/<button/g)).toHaveLength(2);
    expect(page).toContain('data-story="previous"');
    expect(page).toContain('data-story="next"');
    // No "copied" message waits on the page before any click.
    expect(page).not.toMatch(/Kopiert|Copied/);
  });

  it("tells what the product is from the tenant's settings, falling back to a neutral line in the recap's language", async () => {
    const fi = body(await (await get(`/s/${links.get("fi")?.code}`)).text());
    expect(fi).toContain(TAGLINE.fi);
    expect(fi).toContain("Laskut, hyväksynnät ja maksut kulkevat itsestään.");
    expect(fi).toContain('href="https://www.northwind.example/flows"');
    expect(fi).toContain("Siirry sivustolle northwind.example");
    // No Estonian tagline set: a neutral Estonian line naming the product, not the Finnish or an English one.
    const et = body(await (await get(`/s/${links.get("et")?.code}`)).text());
    const product = owner.tenant.brand.productName;
    expect(et).toContain((words("et").product.fallback ?? "").replace("{{product}}", product));
    expect(et).not.toContain(TAGLINE.fi);
  });

  it("keeps the call to action's tracked redirect, which still counts and redirects with the ref", async () => {
    const link = links.get("sv")!;
    const page = body(await (await get(`/s/${link.code}`)).text());
    expect(page).toContain(`href="/r/${link.code}" data-role="cta"`);
    const redirect = await get(`/r/${link.code}`, { headers: { "user-agent": "Mozilla/5.0 Firefox/128.0" } });
    expect(redirect.status).toBe(302);
    expect(new URL(redirect.headers.get("location") ?? "").searchParams.get("ref")).toBe(link.code);
  });

  it("serves its font files and nothing else under the font path", async () => {
    const font = await get("/sharing/fonts/inter-latin-800.woff2");
    expect(font.status).toBe(200);
    expect(font.headers.get("content-type")).toBe("font/woff2");
    expect(
      Buffer.from(await font.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("wOF2");
    for (const path of ["/sharing/fonts/..%2Fpackage.json", "/sharing/fonts/inter-latin-100.woff2"])
      expect((await get(path)).status, path).toBe(404);
  });
});

describe("the share page's not-found and taken-down pages", () => {
  it("answers an unknown code in the visitor's language, linking nowhere since no tenant is known", async () => {
    for (const locale of LOCALES) {
      const response = await get("/s/ZZZZZZZZZZZZ", { headers: { "accept-language": `${locale}-XX,${locale};q=0.9` } });
      expect(response.status).toBe(404);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const html = await response.text();
      expect(html).toMatch(new RegExp(`<html lang="${locale}">`));
      expect(html).toContain(words(locale).notFound.title);
      expect(html).not.toContain('data-role="website"');
    }
  });

  it("answers a taken-down recap with a 410 in the recap's language that links to the tenant's website, on /s and /r", async () => {
    // The Swedish recap, whose other tests ran above.
    const recap = published.get("sv")!;
    // A link nobody has followed yet: the redirect's cache may keep a followed one for its TTL (docs/sharing.md).
    const link = await createLink(t, owner.backendKey, recap.id, "x");
    const current = await call(t.app, "GET", `/v1/recaps/${recap.id}`, { key: owner.key });
    const down = await call(t.app, "POST", `/v1/recaps/${recap.id}/unpublish`, {
      key: owner.backendKey,
      body: {},
      headers: { "if-match": current.headers.get("etag") ?? "" },
    });
    expect(down.status).toBe(200);
    const page = await get(`/s/${link.code}`, { headers: { "accept-language": "en" } });
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain(words("sv").gone.title);
    expect(html).toContain('href="https://www.northwind.example/flows" rel="noopener" data-role="website"');
    expect(html).toContain("Gå till northwind.example");
    // The redirect knows the tenant but not the recap's language: the tenant's default (de) speaks.
    const redirect = await get(`/r/${link.code}`);
    expect(redirect.status).toBe(410);
    const gone = await redirect.text();
    expect(gone).toContain(words("de").gone.title);
    expect(gone).toContain("Weiter zu northwind.example");
  });

  it("answers an erased recap's link in the tenant's language, and falls back to the signup site without a website", async () => {
    const recap = await publishedRecap(t, other, "harbor-labs");
    // The other tenant has no signup URL, so it cannot make links yet: it sets one (and no website).
    const refused = await call(t.app, "POST", `/v1/recaps/${recap.id}/links`, {
      key: other.backendKey,
      body: { channel: "email" },
    });
    expect(refused.status).toBe(409);
    const patched = await call(t.app, "PATCH", "/v1/tenant", {
      key: other.key,
      body: { signupUrl: SIGNUP_URL, defaultLocale: "et" },
    });
    expect(patched.status).toBe(200);
    const made = await createLink(t, other.backendKey, recap.id, "email");
    await t.deps.db.delete(recaps).where(eq(recaps.id, recap.id));
    const response = await get(`/s/${made.code}`);
    expect(response.status).toBe(410);
    const html = await response.text();
    expect(html).toContain('<html lang="et">');
    expect(html).toContain(words("et").gone.title);
    expect(html).toContain('href="https://signup.example.com/"');
    expect(html).toContain("Mine lehele signup.example.com");
  });
});

describe("the tenant's product settings", () => {
  it("validates the tagline, description and website, naming each bad field and changing nothing", async () => {
    const before = await call(t.app, "GET", "/v1/tenant", { key: owner.key });
    const bad = await call(t.app, "PATCH", "/v1/tenant", {
      key: owner.key,
      body: {
        productTagline: { fi: "x".repeat(121), fr: "Bonjour" },
        productDescription: { de: "   " },
        websiteUrl: "javascript:alert(1)",
      },
    });
    const problem = expectProblem(bad, 400, "validation_failed");
    const paths = (problem.errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(["productTagline.fi", "productTagline.fr", "productDescription.de", "websiteUrl"]),
    );
    const after = await call(t.app, "GET", "/v1/tenant", { key: owner.key });
    expect(after.body.productTagline).toEqual(before.body.productTagline);
    expect(after.body.websiteUrl).toBe("https://www.northwind.example/flows");
  });

  it("cleans what it stores and returns it, and clears the website with null", async () => {
    const tenant = await makeTenantWithKey(t.deps, ["admin"]);
    const changed = await call(t.app, "PATCH", "/v1/tenant", {
      key: tenant.key,
      body: { productTagline: { sv: "  Ekonomi\u200b som   sköter sig själv  " }, websiteUrl: "https://example.se" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.productTagline).toEqual({ sv: "Ekonomi som sköter sig själv" });
    expect(changed.body.productDescription).toEqual({});
    const cleared = await call(t.app, "PATCH", "/v1/tenant", { key: tenant.key, body: { websiteUrl: null } });
    expect(cleared.body.websiteUrl).toBeNull();
  });

  it("changes only the calling key's tenant: another tenant's settings and share pages stay as they were", async () => {
    const outsider = await makeTenantWithKey(t.deps, ["admin"]);
    const changed = await call(t.app, "PATCH", "/v1/tenant", {
      key: outsider.key,
      body: { productTagline: { fi: "Vieraan tenantin iskulause." }, websiteUrl: "https://outsider.example/" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.id).toBe(outsider.tenant.id);
    const mine = await call(t.app, "GET", "/v1/tenant", { key: owner.key });
    expect(mine.body.productTagline).toEqual(TAGLINE);
    expect(mine.body.websiteUrl).toBe("https://www.northwind.example/flows");
    const page = body(await (await get(`/s/${links.get("fi")?.code}`)).text());
    expect(page).toContain(TAGLINE.fi);
    expect(page).not.toContain("Vieraan tenantin iskulause.");
    expect(page).not.toContain("outsider.example");
  });

  it("links no website when the tenant's signup page is on this service itself, as the demo's is", async () => {
    const patched = await call(t.app, "PATCH", "/v1/tenant", {
      key: other.key,
      body: { signupUrl: `${baseUrl}/demo/signup`, websiteUrl: null },
    });
    expect(patched.status).toBe(200);
    const recap = await publishedRecap(t, other, "kide-analytics");
    const link = await createLink(t, other.backendKey, recap.id, "linkedin");
    const page = body(await (await get(`/s/${link.code}`)).text());
    expect(page).toContain('class="slide slide-product"');
    expect(page).not.toContain('data-role="website"');
  });
});
