import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recapRenderJob } from "../../src/assets/render.job.js";
import { formatFact } from "../../src/i18n/format.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";
import { draftRecap } from "../../src/recaps/draft.job.js";
import { redraftWithoutHidden } from "../../src/recaps/hidden-redraft.job.js";
import type { Fact } from "../../src/usage/digest.types.js";
import { Browser, hiddenField } from "../support/browser.js";
import { chromiumAvailable, expectHeading, imageLoaded, launchChromium, screenshot } from "../support/chromium.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenant, makeTenantWithKey } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, listen, type TestContext } from "../support/test-context.js";

/**
 * Hiding a number as the end customer takes it out of everything that goes public, not only off
 * the card's tiles. The jobs are run by hand here (no workers), so "before the re-draft" and
 * "before the new cards" are states the test holds still, not races.
 */

let t: TestContext;
let a: { tenant: { id: string }; key: string };
let b: Awaited<ReturnType<typeof makeTenantWithKey>>;
let backendKey: string;

const recap = (id: string, key = a.key) => call(t.app, "GET", `/v1/recaps/${id}`, { key });
const render = (id: string) =>
  recapRenderJob(t.deps).handle({ recapId: id, tenantId: a.tenant.id }, { id: "by-hand", retryCount: 0 } as never);
const redraft = (id: string) => redraftWithoutHidden(t.deps, { recapId: id, tenantId: a.tenant.id });

/** Generated, drafted (templates), approved and rendered: what the customer's link opens. */
async function approvedRecap(account: string): Promise<string> {
  const created = await call(t.app, "POST", "/v1/recaps", { key: a.key, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  await draftRecap(t.deps, { recapId: created.body.id, tenantId: a.tenant.id });
  const loaded = await recap(created.body.id);
  const approved = await call(t.app, "POST", `/v1/recaps/${created.body.id}/approve`, {
    key: a.key,
    body: {},
    headers: { "if-match": loaded.headers.get("etag") ?? "" },
  });
  expect(approved.body.state).toBe("approved");
  await render(created.body.id);
  return created.body.id;
}

/** The hidden fact's number as the recap's language prints it, and its bare digits ("1,284 h", "1,284"). */
function writtenForms(fact: Fact, locale: SupportedLocale, currency: string): string[] {
  const value = formatFact(fact, locale, currency).value;
  return [value, value.replace(/[^\d.,\s\u00a0\u202f]/g, "").trim()];
}

async function pdfText(bytes: ArrayBuffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  let text = "";
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    text += content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? " " : "") : "")).join("");
  }
  return text.replace(/\s+/g, " ");
}

const unescapeHtml = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const squash = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, " ");

beforeAll(async () => {
  t = await createTestContext();
  // A signup URL, so the published recap can get a share link.
  const tenant = await makeTenant(t.deps, { signupUrl: "https://example.com/signup" });
  a = { tenant, ...(await makeApiKey(t.deps, tenant.id)) };
  b = await makeTenantWithKey(t.deps);
  backendKey = (await makeApiKey(t.deps, a.tenant.id, ["recaps:write"])).key;
  await seedDemoUsage(t.deps, a.tenant.id);
}, 120_000);
afterAll(() => t.close());

describe("hiding a number as the end customer", () => {
  it("re-drafts every public text without it, refuses to publish until the new copy and cards exist, and then leaks it nowhere", async () => {
    const id = await approvedRecap("harbor-labs");
    const before = (await recap(id)).body;
    const locale = before.locale as SupportedLocale;
    const hero = before.digest.facts.find((fact: Fact) => fact.id === before.digest.headline[0]) as Fact;
    const forms = writtenForms(hero, locale, before.digest.currency);
    // Today's copy tells the hero number in its headline and post: that is what hiding must undo.
    expect(squash(`${before.copy.headline} ${before.copy.linkedinPost}`)).toContain(squash(forms[0] as string));

    const url = new URL((await call(t.app, "POST", `/v1/recaps/${id}/preview-link`, { key: a.key, body: {} })).body.url)
      .pathname;
    const customer = new Browser(t.app);
    const page = await customer.get(url);
    expect(page.text).toContain(`name="hide" value="${hero.id}"`);
    // Ticking a number and pressing Publish publishes nothing: the text is re-written first.
    const asked = await customer.post(`${url}/publish`, { version: hiddenField(page.text, "version"), hide: hero.id });
    expect(asked.status).toBe(303);
    expect(asked.location).toBe(`${url}?done=hiding`);
    const hiding = (await recap(id)).body;
    expect(hiding).toMatchObject({ state: "approved", hiddenFactIds: [hero.id], copyUpdating: true });

    const updating = await customer.get(asked.location ?? "");
    expect(updating.text).toContain("Your text and card are being updated without the numbers you hid.");
    expect(updating.text).toContain(`data-updating-status="${url}/status"`);
    expect(updating.text).toContain('<script src="/preview-assets/customer.js"');
    expect(updating.text).toMatch(/<button type="submit" disabled="">\s*Publish<\/button>/);
    expect(updating.text).not.toContain(`src="${url}/preview/linkedin`);
    // The old text (with the number) is not offered for consent; only the private choice names the number.
    const agreed = /<section aria-labelledby="copy-heading">.*?<\/section>/s.exec(updating.text)?.[0] ?? "";
    expect(agreed).toContain("The text is being re-written without the numbers you hid.");
    for (const form of forms) expect(squash(unescapeHtml(agreed))).not.toContain(squash(form));
    expect((await customer.get(`${url}/status`)).body).toMatchObject({ updating: true, state: "approved" });

    // Publishing now is refused, on the page and over the API, and changes nothing.
    const early = await customer.post(`${url}/publish`, {
      version: hiddenField(updating.text, "version"),
      hide: hero.id,
    });
    expect(early.status).toBe(409);
    expect(early.text).toContain("Nothing was published.");
    const viaApi = await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
      key: backendKey,
      body: { hiddenFactIds: [hero.id] },
      headers: { "if-match": `"${hiding.version}"` },
    });
    expectProblem(viaApi, 409, "copy_updating");

    // The copy is re-drafted; the cards are not rendered yet: still refused.
    await redraft(id);
    const redrafted = (await recap(id)).body;
    expect(redrafted.copyUpdating).toBe(false);
    expect(redrafted.copy.highlights.map((h: { factId: string }) => h.factId)).not.toContain(hero.id);
    expect(redrafted.factCheck.ok).toBe(true);
    const textOnly = await customer.get(url);
    expect(textOnly.text).toContain(redrafted.copy.headline);
    expect(textOnly.text).toContain("Your text and card are being updated");
    expectProblem(
      await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
        key: backendKey,
        body: {},
        headers: { "if-match": `"${redrafted.version}"` },
      }),
      409,
      "copy_updating",
    );

    await render(id);
    expect((await customer.get(`${url}/status`)).body).toMatchObject({ updating: false });
    const ready = await customer.get(`${url}?done=updated`);
    expect(ready.text).toContain("Your text and card are ready without the numbers you hid.");
    expect(ready.text).toContain(`src="${url}/preview/linkedin?v=`);
    expect(ready.text).toMatch(/<button type="submit">\s*Publish<\/button>/);
    const published = await customer.post(`${url}/publish`, {
      version: hiddenField(ready.text, "version"),
      hide: hero.id,
    });
    expect(published.status).toBe(303);
    expect(published.location).toBe(`${url}?done=published`);
    await render(id);

    const final = (await recap(id)).body;
    expect(final.state).toBe("published");
    const link = await call(t.app, "POST", `/v1/recaps/${id}/links`, { key: a.key, body: { channel: "copy" } });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    await render(id); // the first link gives the PDF its QR code
    const share = await t.app.request(`/s/${link.body.code}`);
    expect(share.status).toBe(200);
    const html = unescapeHtml(await share.text());
    const ogAlt = /<meta property="og:image:alt" content="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(ogAlt).toBe(final.copy.imageAlt);
    // The visitor's page offers no download since issue 15: the PDF's public address comes from the API.
    const assets = await call(t.app, "GET", `/v1/recaps/${id}/assets`, { key: a.key });
    const pdfUrl = assets.body.data.find((asset: { kind: string }) => asset.kind === "pdf")?.publicUrl ?? "";
    const pdf = await t.app.request(new URL(pdfUrl, "http://localhost").pathname);
    expect(pdf.status).toBe(200);
    const pdfWords = await pdfText(await pdf.arrayBuffer());
    expect(squash(pdfWords)).toContain(squash(final.copy.headline).slice(0, 20));

    const outputs = {
      headline: final.copy.headline,
      post: final.copy.linkedinPost,
      "og:image:alt": ogAlt,
      "image description": final.copy.imageAlt,
      // The style sheet is no leak, and its "100%" and "100vh" would match a hidden "100"; nor are the
      // chart's coordinates (a bar's x="100.6": the chart of a hidden metric is not drawn at all) or
      // addresses (an asset's content key in hex may hold "100").
      "share page": html
        .replace(/<style>[\s\S]*?<\/style>/g, "")
        .replace(/\s(?:x|y|x1|x2|y1|y2|width|height|rx|viewBox)="[^"]*"/g, "")
        .replace(/\s(?:href|src|content)="(?:https?:\/\/|\/)[^"]*"/g, ""),
      PDF: pdfWords,
    };
    for (const [where, text] of Object.entries(outputs))
      for (const form of forms) expect(squash(text), `${where} shows ${form}`).not.toContain(squash(form));
  });

  it("lets the product backend hide numbers over the API, with bad input, stale versions and other tenants refused", async () => {
    const id = await approvedRecap("nordlicht-gmbh");
    const loaded = await recap(id);
    const put = (body: unknown, key = backendKey, etag = loaded.headers.get("etag") ?? "") =>
      call(t.app, "PUT", `/v1/recaps/${id}/hidden-facts`, { key, body, headers: { "if-match": etag } });
    const facts = loaded.body.digest.facts.map((fact: Fact) => fact.id);
    expectProblem(await put({ hiddenFactIds: ["metric:nope"] }), 400, "validation_failed");
    expectProblem(await put({ hiddenFactIds: facts }), 400, "validation_failed");
    expectProblem(await put({ hiddenFactIds: [facts[0]], extra: true }), 400, "validation_failed");
    expectProblem(await put({ hiddenFactIds: [facts[0]] }, b.key), 404, "not_found");
    const reviewKey = (await makeApiKey(t.deps, a.tenant.id, ["review"])).key;
    expectProblem(await put({ hiddenFactIds: [facts[0]] }, reviewKey), 403, "insufficient_scope");
    expectProblem(await put({ hiddenFactIds: [facts[0]] }, backendKey, '"1"'), 412, "precondition_failed");
    expect((await recap(id)).body).toMatchObject({ hiddenFactIds: [], copyUpdating: false });

    const hidden = await put({ hiddenFactIds: [facts[0]] });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ state: "approved", hiddenFactIds: [facts[0]], copyUpdating: true });
    // A publish that names another hidden set is not consent to the text the customer read.
    expectProblem(
      await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
        key: backendKey,
        body: { hiddenFactIds: [] },
        headers: { "if-match": hidden.headers.get("etag") ?? "" },
      }),
      409,
      "hidden_facts_changed",
    );
    await redraft(id);
    await render(id);
    const ready = await recap(id);
    expect(ready.body.copyUpdating).toBe(false);
    const history = (await call(t.app, "GET", `/v1/recaps/${id}/history`, { key: a.key })).body.data;
    expect(history.slice(-2).map((event: { action: string }) => event.action)).toEqual([
      "hide_numbers",
      "copy_updated",
    ]);
    const published = await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
      key: backendKey,
      body: { hiddenFactIds: [facts[0]] },
      headers: { "if-match": ready.headers.get("etag") ?? "" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const consent = (await call(t.app, "GET", `/v1/recaps/${id}/history`, { key: a.key })).body.data.at(-1);
    expect(consent.changes.find((change: { field: string }) => change.field === "consent").to).toEqual({
      agreedTo: ready.body.copy,
      hiddenFactIds: [facts[0]],
      // No choice made on the customer's page: the look, card size and wording stay as drafted.
      choices: {},
    });
  });

  it("refuses to publish copy a reviewer edited back to show a hidden number, even with an approval override", async () => {
    const id = await approvedRecap("fjord-ab");
    const loaded = await recap(id);
    const hero = loaded.body.digest.facts.find((fact: Fact) => fact.id === loaded.body.digest.headline[0]) as Fact;
    const hidden = await call(t.app, "PUT", `/v1/recaps/${id}/hidden-facts`, {
      key: backendKey,
      body: { hiddenFactIds: [hero.id] },
      headers: { "if-match": loaded.headers.get("etag") ?? "" },
    });
    expect(hidden.status).toBe(200);
    await redraft(id);
    const redrafted = await recap(id);
    const value = formatFact(hero, "sv", redrafted.body.digest.currency).value;
    const edited = await call(t.app, "PATCH", `/v1/recaps/${id}/copy`, {
      key: a.key,
      body: { linkedinPost: `${redrafted.body.copy.linkedinPost} Och ${value}.` },
      headers: { "if-match": redrafted.headers.get("etag") ?? "" },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.flagged).toBe(true);
    const leak = edited.body.factCheck.mismatches.find((m: { reason: string }) => m.reason.includes("chose to hide"));
    expect(leak).toMatchObject({ field: "linkedinPost" });
    const approved = await call(t.app, "POST", `/v1/recaps/${id}/approve`, {
      key: a.key,
      body: { override: { reason: "the customer said it is fine" } },
      headers: { "if-match": edited.headers.get("etag") ?? "" },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await render(id);
    const publish = await call(t.app, "POST", `/v1/recaps/${id}/publish`, {
      key: backendKey,
      body: {},
      headers: { "if-match": approved.headers.get("etag") ?? "" },
    });
    expectProblem(publish, 409, "hidden_fact_shown");
    expect((await recap(id)).body.state).toBe("approved");
  });
});

describe.skipIf(!chromiumAvailable)("the customer's page while the text and card are re-made, in Chromium", () => {
  it("says it is being updated at 390 and 1280 px without overflow, then shows the new card by itself", async () => {
    const id = await approvedRecap("kide-analytics");
    const loaded = await recap(id);
    const hero = loaded.body.digest.headline[0] as string;
    const url = new URL((await call(t.app, "POST", `/v1/recaps/${id}/preview-link`, { key: a.key, body: {} })).body.url)
      .pathname;
    const hidden = await call(t.app, "PUT", `/v1/recaps/${id}/hidden-facts`, {
      key: backendKey,
      body: { hiddenFactIds: [hero] },
      headers: { "if-match": loaded.headers.get("etag") ?? "" },
    });
    expect(hidden.status).toBe(200);
    const server = await listen(t.app);
    const chromium = await launchChromium();
    try {
      for (const width of [390, 1280]) {
        const page = await (await chromium.newContext({ viewport: { width, height: 900 } })).newPage();
        await page.goto(`${server.url}${url}`);
        await expectHeading(page, "Kide Analytics");
        const status = page.locator("[data-updating-status]");
        // Kide Analytics is a Finnish customer: the page speaks Finnish.
        expect(await status.textContent()).toContain("päivitetään ilman piilottamiasi lukuja");
        expect(await page.getByRole("button", { name: "Julkaise" }).isDisabled()).toBe(true);
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        expect(overflow, `horizontal overflow at ${width} px`).toBe(0);
        await screenshot(page, `customer-updating-${width}`);
        await page.close();
      }
      // The page polls; once the job has re-drafted and the cards are rendered, it shows them.
      const page = await (await chromium.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${server.url}${url}`);
      await page.locator("[data-updating-status]").waitFor();
      await redraft(id);
      await render(id);
      await page.waitForURL(/done=updated/, { timeout: 30_000 });
      await imageLoaded(page, "section img");
      expect(await page.getByRole("button", { name: "Julkaise" }).isDisabled()).toBe(false);
      await screenshot(page, "customer-updated-1280");
    } finally {
      await chromium.close();
      await server.close();
    }
  }, 120_000);
});
