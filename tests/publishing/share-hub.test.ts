import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTranslator } from "../../src/i18n/i18n.js";
import { sha256 } from "../../src/platform/auth/hashing.js";
import { previewTokens } from "../../src/publishing/publishing.schema.js";
import { type SharingTenant, SIGNUP_URL, sharingTenant } from "../sharing/sharing-support.js";
import { Browser, hiddenField } from "../support/browser.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { approvedWithPreview, attrOf, tagOf, unescapeHtml } from "./share-hub-support.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const fi = getTranslator("fi", "hub");

let t: TestContext;
let a: SharingTenant;
let b: SharingTenant;
let recapA: Awaited<ReturnType<typeof approvedWithPreview>>;
let recapB: Awaited<ReturnType<typeof approvedWithPreview>>;

type Link = { code: string; channel: string; shareUrl: string; redirectUrl: string };
const linksOf = async (who: SharingTenant, id: string): Promise<Link[]> =>
  (await call(t.app, "GET", `/v1/recaps/${id}/links`, { key: who.key })).body.data;
const page = (path: string) => new Browser(t.app).get(path);

/** The customer publishes from their page, as a browser posts the form. */
async function publish(path: string) {
  const customer = new Browser(t.app);
  const before = await customer.get(path);
  const published = await customer.post(`${path}/publish`, { version: hiddenField(before.text, "version") });
  expect(published.status, published.text.slice(0, 300)).toBe(303);
  return customer.get(published.location ?? "");
}

/** A visit to a tracked redirect from one person (an address and a browser). */
const click = (code: string, ip: string, userAgent = CHROME) =>
  t.app.request(`/r/${code}`, { headers: { "user-agent": userAgent, "x-client-ip": ip } });

beforeAll(async () => {
  // In-process requests have no socket: the client's address comes from a header, as behind a proxy.
  t = await createTestContext({ env: { TRUSTED_PROXY_IP_HEADER: "x-client-ip" } });
  a = await sharingTenant(t);
  b = await sharingTenant(t);
  await t.startWorkers();
  recapA = await approvedWithPreview(t.app, a.key, "kide-analytics");
  recapB = await approvedWithPreview(t.app, b.key, "harbor-labs");
}, 240_000);
afterAll(() => t.close());

describe("the share hub on the customer's page", () => {
  it("is not there before publishing, and appears, in the recap's language, once the customer publishes", async () => {
    const before = await page(recapA.path);
    expect(before.status).toBe(200);
    expect(before.text).not.toContain("data-share-hub");
    expect(await linksOf(a, recapA.id)).toEqual([]);

    const after = await publish(recapA.path);
    expect(after.text).toContain("data-share-hub");
    expect(after.text).toContain(`<h2 id="hub-heading">${fi("heading")}</h2>`);
    expect(after.text).toContain('<script src="/preview-assets/share-hub.js" defer="">');
    const links = new Map((await linksOf(a, recapA.id)).map((link) => [link.channel, link]));

    const linkedIn = new URL(attrOf(after.text, "linkedin", "href"));
    expect(linkedIn.origin + linkedIn.pathname).toBe("https://www.linkedin.com/sharing/share-offsite/");
    expect(linkedIn.searchParams.get("url")).toBe(links.get("linkedin")?.shareUrl);
    // The post text is copied by the click, not shown as copied before it.
    expect(attrOf(after.text, "linkedin", "data-copy")).toBe(
      `${recapA.copy.linkedinPost}\n\n${links.get("linkedin")?.shareUrl}`,
    );
    expect(attrOf(after.text, "linkedin", "data-copied")).toBe(fi("linkedin.copied"));
    // A live region (not a second role="status": the page's confirmation is one) that starts empty.
    expect(after.text).toMatch(/<p class="hub-status" aria-live="polite" data-copy-status=""[^>]*><\/p>/);

    const x = new URL(attrOf(after.text, "x", "href"));
    expect(x.searchParams.get("url")).toBe(links.get("x")?.shareUrl);
    expect(x.searchParams.get("text")).toBe(recapA.copy.headline);

    const mail = new URL(attrOf(after.text, "email", "href"));
    expect(mail.protocol).toBe("mailto:");
    const subject = mail.searchParams.get("subject") ?? "";
    const body = mail.searchParams.get("body") ?? "";
    expect(subject).toMatch(/^.+-palvelu: tuloskatsauksemme jaksolta Q3\u00a02026$/);
    // The e-mail carries the PDF's lasting address, which leads to the current file.
    const emailCode = links.get("email")?.code ?? "";
    expect(body).toContain(`PDF: http://localhost/s/${emailCode}/pdf`);
    expect(body).toContain(links.get("email")?.shareUrl);
    const lasting = await t.app.request(`/s/${emailCode}/pdf`);
    expect(lasting.status).toBe(302);
    expect(lasting.headers.get("location")).toBe(attrOf(after.text, "download-pdf", "href"));
    const pdf = await t.app.request(lasting.headers.get("location") ?? "");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");

    expect(attrOf(after.text, "copy-link", "data-copy")).toBe(links.get("copy")?.shareUrl);
    expect(attrOf(after.text, "native-share", "data-share-text")).toContain(links.get("other")?.shareUrl);
    for (const kind of ["linkedin", "square", "story"]) {
      const href = attrOf(after.text, `download-${kind}`, "href");
      expect(attrOf(after.text, `download-${kind}`, "download")).toBe(`kide-analytics-oy-2026-q3-${kind}.png`);
      const png = await t.app.request(href);
      expect(png.headers.get("content-type"), kind).toBe("image/png");
    }
  });

  it("works without JavaScript: the channels are plain links, the post and link are in fields, copy buttons wait for the script", async () => {
    const html = (await page(recapA.path)).text;
    const links = new Map((await linksOf(a, recapA.id)).map((link) => [link.channel, link]));
    expect(html).toContain(`<input id="hub-link" type="text" readOnly="" value="${links.get("copy")?.shareUrl}"/>`);
    const post = /<textarea id="hub-post"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? "";
    expect(unescapeHtml(post)).toContain(recapA.copy.linkedinPost.slice(0, 40));
    for (const role of ["copy-link", "copy-post", "native-share"])
      expect(tagOf(html, role), role).toContain(" hidden=");
    for (const role of ["linkedin", "x", "email"]) expect(tagOf(html, role), role).not.toContain(" hidden=");
  });

  it("makes one tracked link per channel, once: reloads, parallel loads and another language reuse them", async () => {
    await Promise.all([page(recapA.path), page(recapA.path), page(`${recapA.path}?lang=de`), page(recapA.path)]);
    await page(`${recapA.path}?lang=sv`);
    const links = await linksOf(a, recapA.id);
    expect(links.map((link) => link.channel).sort()).toEqual(["copy", "email", "linkedin", "other", "x"]);
    const html = (await page(recapA.path)).text;
    for (const link of links) expect(html, link.channel).toContain(link.code);
    // A refused form (a second, stale "Publish") answers with its problem alone and makes no link.
    const stale = await new Browser(t.app).post(`${recapA.path}/publish`, { version: "1" });
    expect(stale.status).toBe(409);
    expect(stale.text).not.toContain("data-share-hub");
    expect(await linksOf(a, recapA.id)).toHaveLength(5);
  });

  it("counts the people who followed the recap's links, each once an hour, leaving bots out", async () => {
    const none = (await page(recapA.path)).text;
    expect(none).toContain('data-people="0"');
    expect(unescapeHtml(none)).toContain(fi("impact.none", { product: "Tenant" }).split("Tenant")[0]);
    const links = new Map((await linksOf(a, recapA.id)).map((link) => [link.channel, link.code]));
    const linkedIn = links.get("linkedin") ?? "";
    for (const response of [
      await click(linkedIn, "192.0.2.1"),
      await click(linkedIn, "192.0.2.1"), // the same person again within the hour
      await click(links.get("email") ?? "", "192.0.2.2", FIREFOX),
      await click(links.get("x") ?? "", "192.0.2.3"),
      await click(
        linkedIn,
        "192.0.2.4",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
      ),
      await click(linkedIn, "192.0.2.5", "curl/8.5.0"),
    ])
      expect(response.status).toBe(302);
    await t.deps.clicks.flush();
    const html = (await page(recapA.path)).text;
    expect(html).toContain('data-people="3"');
    expect(unescapeHtml(html)).toContain("ihmistä on siirtynyt katsauksesi kautta");
    // No signup yet: nothing said about signups.
    expect(html).not.toContain("rekisteröitynyt");
  });

  it("shows the reward only once the tenant configures one, and as earned only after the first signup (loop.completed)", async () => {
    expect(tagOf((await page(recapA.path)).text, "reward-offer")).toBeNull();
    const configured = await call(t.app, "PATCH", "/v1/tenant", {
      key: a.key,
      body: { shareReward: { fi: "Kuukausi Team-tasoa veloituksetta", en: "A month of the Team plan, on us" } },
    });
    expect(configured.status, configured.text).toBe(200);
    expect(configured.body.shareReward).toEqual({
      fi: "Kuukausi Team-tasoa veloituksetta",
      en: "A month of the Team plan, on us",
    });
    const offered = (await page(recapA.path)).text;
    expect(tagOf(offered, "reward-offer")).not.toBeNull();
    expect(tagOf(offered, "reward-earned")).toBeNull();
    expect(offered).toContain("Kuukausi Team-tasoa veloituksetta");
    // A language the reward is not written in falls back to the recap's.
    expect((await page(`${recapA.path}?lang=de`)).text).toContain("Kuukausi Team-tasoa veloituksetta");
    expect((await page(`${recapA.path}?lang=en`)).text).toContain("A month of the Team plan, on us");

    const [link] = (await linksOf(a, recapA.id)).filter((l) => l.channel === "linkedin");
    const signup = await call(t.app, "POST", "/v1/conversions", {
      key: a.key,
      body: { ref: link?.code, type: "signup", externalUserId: "user-1" },
    });
    expect(signup.status, signup.text).toBe(201);
    const earned = (await page(recapA.path)).text;
    expect(tagOf(earned, "reward-earned")).not.toBeNull();
    expect(tagOf(earned, "reward-offer")).toBeNull();
    expect(earned).toContain(fi("reward.earnedHeading"));
    expect(earned).toContain("Kuukausi Team-tasoa veloituksetta");
    expect(earned).toContain("Heistä 1 on rekisteröitynyt.");
  });

  it("refuses a malformed reward setting with a problem and keeps the one configured", async () => {
    for (const shareReward of [{}, { xx: "Something" }, { en: "" }, { en: "x".repeat(201) }, "a month free"]) {
      expectProblem(
        await call(t.app, "PATCH", "/v1/tenant", { key: a.key, body: { shareReward } }),
        400,
        "validation_failed",
      );
    }
    const tenant = await call(t.app, "GET", "/v1/tenant", { key: a.key });
    expect(tenant.body.shareReward.en).toBe("A month of the Team plan, on us");
  });

  it("keeps tenants apart: another tenant's reward, links and clicks never reach this page", async () => {
    await call(t.app, "PATCH", "/v1/tenant", { key: b.key, body: { shareReward: { en: "B's secret prize" } } });
    const pageB = await publish(recapB.path);
    expect(pageB.text).toContain("B&#x27;s secret prize");
    const linksB = await linksOf(b, recapB.id);
    expect(linksB).toHaveLength(5);
    for (const link of linksB) await click(link.code, "198.51.100.7");
    await t.deps.clicks.flush();

    const pageA = (await page(recapA.path)).text;
    expect(pageA).not.toContain("B&#x27;s secret prize");
    expect(pageA).toContain('data-people="3"');
    for (const link of linksB) expect(pageA).not.toContain(link.code);
    expect((await page(recapB.path)).text).toContain('data-people="1"');
    // Neither tenant's key reaches the other's recap or its links.
    expectProblem(await call(t.app, "GET", `/v1/recaps/${recapA.id}/links`, { key: b.key }), 404, "not_found");
    expectProblem(await call(t.app, "GET", `/v1/recaps/${recapB.id}/links`, { key: a.key }), 404, "not_found");
  });

  it("offers only the downloads when the tenant has no signup URL for links to lead to, and makes no link", async () => {
    // Tenant B without its signup URL for this test (a third tenant would seed the demo's usage again).
    const unset = await call(t.app, "PATCH", "/v1/tenant", { key: b.key, body: { signupUrl: null } });
    expect(unset.body.signupUrl).toBeNull();
    try {
      const recap = await approvedWithPreview(t.app, b.key, "fjord-ab");
      const html = (await publish(recap.path)).text;
      expect(html).toContain("data-share-hub");
      expect(html).toContain(getTranslator("sv", "hub")("noLinks"));
      expect(tagOf(html, "linkedin")).toBeNull();
      expect(tagOf(html, "download-story")).not.toBeNull();
      expect(await linksOf(b, recap.id)).toEqual([]);
    } finally {
      await call(t.app, "PATCH", "/v1/tenant", { key: b.key, body: { signupUrl: SIGNUP_URL } });
    }
  }, 120_000);

  it("is gone once the customer unpublishes, and a tampered or expired link shows the not-found page with no hub", async () => {
    const customer = new Browser(t.app);
    const open = await customer.get(recapA.path);
    const down = await customer.post(`${recapA.path}/unpublish`, { version: hiddenField(open.text, "version") });
    expect(down.status).toBe(303);
    const unpublished = await customer.get(recapA.path);
    expect(unpublished.text).not.toContain("data-share-hub");
    expect(unpublished.text).not.toContain("/r/");
    // The e-mailed PDF address is gone with it; an unknown code is not found.
    const email = (await linksOf(a, recapA.id)).find((link) => link.channel === "email");
    expectProblem(await call(t.app, "GET", `/s/${email?.code}/pdf`), 410, "gone");
    expectProblem(await call(t.app, "GET", "/s/AAAAAAAAAAAA/pdf"), 404, "not_found");

    const token = recapA.path.split("/")[2] ?? "";
    const tampered = `/p/${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const tokenB = recapB.path.split("/")[2] ?? "";
    await t.deps.db
      .update(previewTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(previewTokens.tokenHash, sha256(tokenB)));
    for (const path of [tampered, recapB.path, `${recapB.path}?lang=en`]) {
      const response = await page(path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain("data-share-hub");
      expect(response.text).not.toContain("B&#x27;s secret prize");
    }
  });
});
