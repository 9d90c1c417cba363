import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { sha256 } from "../../src/platform/auth/hashing.js";
import { CLIENT_FAILURE_FACTOR } from "../../src/platform/auth/sessions.js";
import { fixedClock } from "../../src/platform/clock.js";
import type { Tenant } from "../../src/platform/tenancy/tenants.js";
import { createUser, type PublicUser } from "../../src/platform/tenancy/users.js";
import { Browser, hiddenField, type Page } from "../support/browser.js";
import { makeApiKey, makeTenant, makeUser, TEST_PASSWORD } from "../support/factories.js";
import { call, expectProblem } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

const MAX_FAILURES = 3;
const WINDOW_MINUTES = 15;
const TTL_HOURS = 12;
const HOUR = 3_600_000;

const clock = fixedClock(new Date());
let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({
    env: {
      LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      LOGIN_WINDOW_MINUTES: String(WINDOW_MINUTES),
      SESSION_TTL_HOURS: String(TTL_HOURS),
    },
    clock,
  });
});
afterAll(() => t.close());
// Tests that move time forward must not leak that into the next test.
beforeEach(() => clock.set(new Date()));

async function sessionRows(userId: string) {
  return t.deps.sql<{ id_hash: string; csrf_token: string; expires_at: Date }[]>`
    select id_hash, csrf_token, expires_at from sessions where user_id = ${userId}`;
}

async function failureCount(email: string): Promise<number> {
  const [row] = await t.deps.sql<{ n: number }[]>`
    select count(*)::int as n from login_failures where email = ${email.toLowerCase()}`;
  return row?.n ?? 0;
}

async function makeNamedUser(tenant: Tenant, name: string): Promise<PublicUser> {
  const suffix = Math.random().toString(36).slice(2, 10);
  return createUser(t.deps.db, {
    tenantId: tenant.id,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}.${suffix}@example.test`,
    name,
    role: "reviewer",
    password: TEST_PASSWORD,
  });
}

// ---------------------------------------------------------------------------------------------

describe("reviewer sign-in form", () => {
  it("sends a visitor without a session from /review to the sign-in form, remembering where they were going", async () => {
    const browser = new Browser(t.app);
    const page = await browser.get("/review");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/review/login?next=%2Freview");

    const withQuery = await browser.get("/review?tab=queue");
    expect(withQuery.location).toBe("/review/login?next=%2Freview%3Ftab%3Dqueue");
  });

  it("renders a form with a hidden CSRF token that matches an HttpOnly, SameSite=Lax or_login_csrf cookie", async () => {
    const browser = new Browser(t.app);
    const page = await browser.get("/review/login?next=%2Freview");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toMatch(/<form (?=[^>]*action="\/review\/login")(?=[^>]*method="post")[^>]*>/);
    expect(page.text).toContain('name="email"');
    expect(page.text).toContain('name="password"');

    const csrf = hiddenField(page.text, "_csrf");
    expect(csrf.length).toBeGreaterThanOrEqual(32);
    expect(hiddenField(page.text, "next")).toBe("/review");

    const cookie = page.setCookies.get("or_login_csrf");
    expect(cookie?.value).toBe(csrf);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")).toBe("Lax");
    expect(cookie?.attributes.get("path")).toBe("/");
  });

  it("gives every form a fresh CSRF token", async () => {
    const browser = new Browser(t.app);
    const first = await browser.openLogin();
    const second = await browser.openLogin();
    expect(first).not.toBe(second);
  });

  it("refuses a sign-in without a _csrf field with 403 csrf_failed", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    await browser.openLogin();

    const response = await browser.post("/review/login", { email: user.email, password: TEST_PASSWORD });
    expectProblem(response, 403, "csrf_failed");
    expect(browser.cookies.has("or_session")).toBe(false);
    expect(await sessionRows(user.id)).toHaveLength(0);
  });

  it("refuses a sign-in whose _csrf does not match the cookie with 403 csrf_failed", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    const csrf = await browser.openLogin();

    const response = await browser.post("/review/login", {
      _csrf: `${csrf.slice(0, -1)}${csrf.endsWith("A") ? "B" : "A"}`,
      email: user.email,
      password: TEST_PASSWORD,
    });
    expectProblem(response, 403, "csrf_failed");
    expect(await sessionRows(user.id)).toHaveLength(0);
  });

  it("refuses a sign-in that carries the form's token but no or_login_csrf cookie, as a cross-site post would", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    const csrf = await browser.openLogin();
    browser.cookies.delete("or_login_csrf");

    const response = await browser.post("/review/login", { _csrf: csrf, email: user.email, password: TEST_PASSWORD });
    expectProblem(response, 403, "csrf_failed");
  });

  it("refuses an empty _csrf when there is no or_login_csrf cookie either, so nobody can be signed in cross-site", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);

    const response = await browser.post("/review/login", { _csrf: "", email: user.email, password: TEST_PASSWORD });
    expectProblem(response, 403, "csrf_failed");
    expect(browser.cookies.has("or_session")).toBe(false);
    expect(await sessionRows(user.id)).toHaveLength(0);
  });
});

describe("wrong credentials", () => {
  it("answers a wrong password with a 401 page that says the e-mail or password is not right, and no session", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);

    const page = await browser.signIn(user.email, "not the password at all");
    expect(page.status).toBe(401);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('role="alert"');
    expect(page.text).toContain("The e-mail or password is not right.");
    expect(page.setCookies.has("or_session")).toBe(false);
    expect(await sessionRows(user.id)).toHaveLength(0);
    // The form comes back ready for another try: a new token that matches the new cookie.
    expect(hiddenField(page.text, "_csrf")).toBe(browser.cookies.get("or_login_csrf"));
  });

  it("answers an unknown e-mail exactly as it answers a wrong password", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const unknown = `nobody-${Math.random().toString(36).slice(2, 10)}@example.test`;

    const wrongPassword = await new Browser(t.app).signIn(user.email, "not the password at all");
    const unknownEmail = await new Browser(t.app).signIn(unknown, "not the password at all");

    const normalise = (page: Page, email: string) =>
      page.text.replaceAll(hiddenField(page.text, "_csrf"), "<token>").replaceAll(email, "<email>");
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(normalise(unknownEmail, unknown)).toBe(normalise(wrongPassword, user.email));
    expect([...unknownEmail.setCookies.keys()]).toEqual([...wrongPassword.setCookies.keys()]);
    expect(unknownEmail.headers.get("retry-after")).toBeNull();
    expect(wrongPassword.headers.get("retry-after")).toBeNull();
  });
});

describe("signing in", () => {
  let tenantA: Tenant;
  let tenantB: Tenant;
  let ada: PublicUser;
  let bob: PublicUser;

  beforeAll(async () => {
    tenantA = await makeTenant(t.deps, { name: "Acme Analytics" });
    tenantB = await makeTenant(t.deps, { name: "Globex Logistics" });
    ada = await makeNamedUser(tenantA, "Ada Lovelace");
    bob = await makeNamedUser(tenantB, "Bob Babbage");
  });

  it("redirects to next with an HttpOnly, SameSite=Lax or_session cookie, and stores only its SHA-256", async () => {
    const browser = new Browser(t.app);
    const bounce = await browser.get("/review");
    const form = await browser.get(bounce.location ?? "");
    const csrf = hiddenField(form.text, "_csrf");
    const next = hiddenField(form.text, "next");

    const response = await browser.post("/review/login", {
      _csrf: csrf,
      email: ada.email,
      password: TEST_PASSWORD,
      next,
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/review");

    const cookie = response.setCookies.get("or_session");
    expect(cookie).toBeDefined();
    const token = cookie?.value ?? "";
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(cookie?.attributes.has("httponly")).toBe(true);
    expect(cookie?.attributes.get("samesite")).toBe("Lax");
    expect(cookie?.attributes.get("path")).toBe("/");
    const expires = new Date(cookie?.attributes.get("expires") ?? "").getTime();
    expect(Math.abs(expires - (clock.now().getTime() + TTL_HOURS * HOUR))).toBeLessThan(2_000);
    // The one-use login CSRF cookie is gone once it has done its job.
    expect(response.setCookies.get("or_login_csrf")?.attributes.get("max-age")).toBe("0");

    const rows = await sessionRows(ada.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id_hash).not.toBe(token);
    expect(rows[0]?.id_hash).toBe(sha256(token));
    const [byRawToken] = await t.deps.sql`select 1 from sessions where id_hash = ${token}`;
    expect(byRawToken).toBeUndefined();
  });

  it("shows the signed-in user's name and own tenant on /review, and nothing of another tenant", async () => {
    const adaBrowser = new Browser(t.app);
    expect((await adaBrowser.signIn(ada.email)).status).toBe(303);
    const adaHome = await adaBrowser.get("/review");
    expect(adaHome.status).toBe(200);
    expect(adaHome.headers.get("cache-control")).toBe("no-store");
    expect(adaHome.text).toContain("Ada Lovelace");
    expect(adaHome.text).toContain("Acme Analytics");
    expect(adaHome.text).not.toContain("Globex Logistics");
    expect(adaHome.text).not.toContain("Bob Babbage");

    const bobBrowser = new Browser(t.app);
    expect((await bobBrowser.signIn(bob.email)).status).toBe(303);
    const bobHome = await bobBrowser.get("/review");
    expect(bobHome.text).toContain("Bob Babbage");
    expect(bobHome.text).toContain("Globex Logistics");
    expect(bobHome.text).not.toContain("Acme Analytics");
    expect(bobHome.text).not.toContain("Ada Lovelace");
  });

  it("accepts the e-mail in any case and with surrounding spaces", async () => {
    const browser = new Browser(t.app);
    const response = await browser.signIn(`  ${ada.email.toUpperCase()} `);
    expect(response.status).toBe(303);
    expect((await browser.get("/review")).text).toContain("Ada Lovelace");
  });

  it("follows a same-site next path after sign-in", async () => {
    const browser = new Browser(t.app);
    const response = await browser.signIn(ada.email, TEST_PASSWORD, "/review?tab=queue");
    expect(response.status).toBe(303);
    expect(response.location).toBe("/review?tab=queue");
  });

  it.each(["//evil.test", "https://evil.test", "/\\evil.test", "javascript:alert(1)", "evil.test/review"])(
    "ignores a next of %s and goes to /review instead",
    async (next) => {
      const browser = new Browser(t.app);
      const form = await browser.get(`/review/login?next=${encodeURIComponent(next)}`);
      expect(hiddenField(form.text, "next")).toBe("/review");

      const response = await browser.post("/review/login", {
        _csrf: hiddenField(form.text, "_csrf"),
        email: ada.email,
        password: TEST_PASSWORD,
        next,
      });
      expect(response.status).toBe(303);
      expect(response.location).toBe("/review");
    },
  );

  it("sends someone already signed in from the sign-in form on to next", async () => {
    const browser = new Browser(t.app);
    await browser.signIn(ada.email);
    const page = await browser.get("/review/login?next=%2Freview%3Ftab%3Dqueue");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/review?tab=queue");
  });
});

describe("one e-mail address in two tenants", () => {
  const SECOND_PASSWORD = "another long enough password";
  let acme: Tenant;
  let globex: Tenant;
  let email: string;

  beforeAll(async () => {
    acme = await makeTenant(t.deps, { name: "Acme Analytics" });
    globex = await makeTenant(t.deps, { name: "Globex Logistics" });
    email = `shared.${acme.slug}@example.test`;
  });

  async function sessionTenant(browser: Browser) {
    const token = browser.cookies.get("or_session") ?? "";
    const [row] = await t.deps.sql<{ tenant_id: string }[]>`
      select tenant_id from sessions where id_hash = ${sha256(token)}`;
    return row?.tenant_id;
  }

  it("lets a second tenant add an address another tenant uses, and refuses it twice within one tenant", async () => {
    const { key: acmeAdmin } = await makeApiKey(t.deps, acme.id, ["admin"]);
    const { key: globexAdmin } = await makeApiKey(t.deps, globex.id, ["admin"]);
    const user = { email, name: "Sam Shared", role: "reviewer" };
    const inAcme = await call(t.app, "POST", "/v1/users", {
      key: acmeAdmin,
      body: { ...user, password: TEST_PASSWORD },
    });
    expect(inAcme.status, inAcme.text).toBe(201);
    // Globex learns nothing of Acme's user: the address is simply free in Globex.
    const inGlobex = await call(t.app, "POST", "/v1/users", {
      key: globexAdmin,
      body: { ...user, email: email.toUpperCase(), password: SECOND_PASSWORD },
    });
    expect(inGlobex.status, inGlobex.text).toBe(201);
    const twice = await call(t.app, "POST", "/v1/users", {
      key: globexAdmin,
      body: { ...user, password: SECOND_PASSWORD },
    });
    expectProblem(twice, 409, "conflict");
  });

  it("signs in to the tenant whose password matches", async () => {
    const toAcme = new Browser(t.app);
    expect((await toAcme.signIn(email, TEST_PASSWORD)).status).toBe(303);
    expect(await sessionTenant(toAcme)).toBe(acme.id);
    expect((await toAcme.get("/review")).text).toContain("Acme Analytics");

    const toGlobex = new Browser(t.app);
    expect((await toGlobex.signIn(email.toUpperCase(), SECOND_PASSWORD)).status).toBe(303);
    expect(await sessionTenant(toGlobex)).toBe(globex.id);
  });

  it("answers a password that fits neither tenant exactly as an unknown e-mail", async () => {
    const unknown = `nobody.${acme.slug}@example.test`;
    const shared = await new Browser(t.app).signIn(email, "not the password at all");
    const nobody = await new Browser(t.app).signIn(unknown, "not the password at all");
    const normalise = (page: Page, address: string) =>
      page.text.replaceAll(hiddenField(page.text, "_csrf"), "<token>").replaceAll(address, "<email>");
    expect(shared.status).toBe(401);
    expect(normalise(shared, email)).toBe(normalise(nobody, unknown));
  });

  it("asks which workspace when the password opens both, then signs in to the chosen one", async () => {
    const both = `both.${acme.slug}@example.test`;
    for (const tenant of [acme, globex]) {
      await createUser(t.deps.db, {
        tenantId: tenant.id,
        email: both,
        name: "Bo Both",
        role: "reviewer",
        password: TEST_PASSWORD,
      });
    }
    const browser = new Browser(t.app);
    const asked = await browser.signIn(both, TEST_PASSWORD);
    expect(asked.status).toBe(200);
    expect(asked.setCookies.has("or_session")).toBe(false);
    expect(asked.text).toContain("more than one workspace");
    expect(asked.text).toContain(`value="${acme.slug}"`);
    expect(asked.text).toContain(`value="${globex.slug}"`);

    const chosen = await browser.post("/review/login", {
      _csrf: hiddenField(asked.text, "_csrf"),
      email: both,
      password: TEST_PASSWORD,
      workspace: globex.slug,
    });
    expect(chosen.status).toBe(303);
    expect(await sessionTenant(browser)).toBe(globex.id);
  });

  it("answers a workspace the address does not belong to exactly as a wrong password", async () => {
    const other = await makeTenant(t.deps, { name: "Initech" });
    const browser = new Browser(t.app);
    const csrf = await browser.openLogin();
    const page = await browser.post("/review/login", {
      _csrf: csrf,
      email,
      password: TEST_PASSWORD,
      workspace: other.slug,
    });
    expect(page.status).toBe(401);
    expect(page.text).toContain("The e-mail or password is not right.");
    expect(page.setCookies.has("or_session")).toBe(false);
  });
});

describe("sign-in rate limit", () => {
  it("after LOGIN_MAX_FAILURES failures for one e-mail refuses even the right password with 429 and Retry-After, on every instance", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);

    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      // The e-mail's case does not open a separate allowance.
      const email = attempt % 2 === 0 ? user.email.toUpperCase() : user.email;
      expect((await browser.signIn(email, `wrong password ${attempt}`)).status).toBe(401);
    }
    expect(await failureCount(user.email)).toBe(MAX_FAILURES);

    const refused = await browser.signIn(user.email, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(WINDOW_MINUTES * 60));
    expect(refused.text).toContain(`Try again in ${WINDOW_MINUTES} minutes.`);
    expect(refused.setCookies.has("or_session")).toBe(false);
    expect(await sessionRows(user.id)).toHaveLength(0);

    // A second instance of the service shares nothing with the first but the database.
    const otherInstance = createApp(t.deps);
    expect(otherInstance).not.toBe(t.app);
    const elsewhere = await new Browser(otherInstance, "another-browser/2.0").signIn(user.email, TEST_PASSWORD);
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await sessionRows(user.id)).toHaveLength(0);
    // Refused tries are not counted as failures, so hammering does not push the lock further out.
    expect(await failureCount(user.email)).toBe(MAX_FAILURES);
  });

  it("lets the e-mail sign in again once the failures have left the window, and then forgets them", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    const start = clock.now().getTime();

    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      clock.set(new Date(start + attempt * 60_000));
      await browser.signIn(user.email, "wrong password");
    }
    // The oldest failure leaves the window first: the answer says how long until then.
    clock.set(new Date(start + 5 * 60_000));
    const refused = await browser.signIn(user.email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String((WINDOW_MINUTES - 5) * 60));

    clock.set(new Date(start + WINDOW_MINUTES * 60_000 + 1_000));
    const response = await browser.signIn(user.email);
    expect(response.status).toBe(303);
    expect(await failureCount(user.email)).toBe(0);
  });

  it("does not lock out other e-mails tried from the same client", async () => {
    const tenant = await makeTenant(t.deps);
    const locked = await makeUser(t.deps, tenant.id);
    const neighbour = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app, "shared-office-browser/1.0");

    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) await browser.signIn(locked.email, "wrong password");
    expect((await browser.signIn(locked.email)).status).toBe(429);

    const response = await browser.signIn(neighbour.email);
    expect(response.status).toBe(303);
  });

  it("lets no more than LOGIN_MAX_FAILURES guesses through when they arrive at the same time", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browsers = Array.from({ length: 8 }, () => new Browser(t.app));
    const tokens = await Promise.all(browsers.map((browser) => browser.openLogin()));

    const answers = await Promise.all(
      browsers.map((browser, i) =>
        browser.post("/review/login", { _csrf: tokens[i] ?? "", email: user.email, password: `guess ${i}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(MAX_FAILURES);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8 - MAX_FAILURES);
    expect(await failureCount(user.email)).toBe(MAX_FAILURES);
  });

  it("refuses a client that fails across many e-mails, without refusing other clients", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const sprayer = new Browser(t.app, "password-sprayer/0.1");

    let firstRefusal = 0;
    for (let attempt = 1; attempt <= 100 && !firstRefusal; attempt++) {
      const page = await sprayer.signIn(
        `victim-${attempt}-${Math.random().toString(36).slice(2)}@example.test`,
        "Winter2025!",
      );
      if (page.status === 429) firstRefusal = attempt;
      else expect(page.status).toBe(401);
    }
    // Many more than one e-mail's allowance, but a limit all the same.
    expect(firstRefusal).toBe(MAX_FAILURES * CLIENT_FAILURE_FACTOR + 1);
    expect((await sprayer.signIn(user.email)).status).toBe(429);
    expect((await new Browser(t.app, "someone-else/1.0").signIn(user.email)).status).toBe(303);
  });
});

describe("session lifetime", () => {
  it("sends a session older than SESSION_TTL_HOURS back to the sign-in form", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    const signedInAt = clock.now().getTime();
    expect((await browser.signIn(user.email)).status).toBe(303);

    clock.set(new Date(signedInAt + TTL_HOURS * HOUR - 60_000));
    expect((await browser.get("/review")).status).toBe(200);

    clock.set(new Date(signedInAt + TTL_HOURS * HOUR + 1_000));
    const page = await browser.get("/review");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/review/login?next=%2Freview");
  });

  it("ends a disabled user's session at once, and does not let them sign in again", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    await browser.signIn(user.email);
    expect((await browser.get("/review")).status).toBe(200);

    await t.deps.sql`update users set disabled_at = now() where id = ${user.id}`;
    const page = await browser.get("/review");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/review/login?next=%2Freview");

    const again = await new Browser(t.app).signIn(user.email);
    expect(again.status).toBe(401);
    expect(again.text).toContain("The e-mail or password is not right.");
  });

  it("does not accept a made-up or_session cookie", async () => {
    const browser = new Browser(t.app);
    browser.cookies.set("or_session", "made-up-session-token-that-is-long-enough-000");
    const page = await browser.get("/review");
    expect(page.status).toBe(303);
  });
});

describe("signing out", () => {
  it("ends the session with the session's CSRF token: the row is gone and the cookie cleared", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    await browser.signIn(user.email);
    const token = browser.cookies.get("or_session") ?? "";
    const home = await browser.get("/review");
    const csrf = hiddenField(home.text, "_csrf");
    expect(csrf).toBe((await sessionRows(user.id))[0]?.csrf_token);

    const response = await browser.post("/review/logout", { _csrf: csrf });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/review/login");
    expect(response.setCookies.get("or_session")?.attributes.get("max-age")).toBe("0");
    expect(browser.cookies.has("or_session")).toBe(false);
    expect(await sessionRows(user.id)).toHaveLength(0);

    // Even a copy of the old cookie is worthless now.
    const replay = new Browser(t.app);
    replay.cookies.set("or_session", token);
    expect((await replay.get("/review")).status).toBe(303);
  });

  it("refuses to sign out without the session's CSRF token, and the session stays", async () => {
    const tenant = await makeTenant(t.deps);
    const user = await makeUser(t.deps, tenant.id);
    const browser = new Browser(t.app);
    await browser.signIn(user.email);

    expectProblem(await browser.post("/review/logout", {}), 403, "csrf_failed");
    expectProblem(await browser.post("/review/logout", { _csrf: "not-the-token" }), 403, "csrf_failed");
    expect(await sessionRows(user.id)).toHaveLength(1);
    expect((await browser.get("/review")).status).toBe(200);
  });
});
