import type { OpenAPIHono } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { Deps } from "../deps.js";
import { acceptedLocales, chosenLocale, pageLocale } from "../i18n/page-locale.js";
import { recordConversion } from "../loop/record-conversion.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { problemOf } from "../platform/http/problem.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { recaps } from "../recaps/recaps.schema.js";
import { findLinkTarget } from "../sharing/share-links.js";
import { DEMO_SLUG } from "./demo-seed.js";
import {
  DEMO_SIGNUP_PATH,
  DemoSignedUpPage,
  DemoSignupPage,
  type DemoSignupProblem,
  DemoSignupProblemPage,
} from "./demo-signup.page.js";

/** Loose on purpose: the address is fictitious; it only has to look like one and name one person. */
const EMAIL = /^[^\s@]{1,100}@[^\s@]{1,100}\.[^\s@]{1,50}$/;
const REF = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The demo tenant's signup page: the end of the loop a newcomer walks in the demo (publish, click
 * their own share link, sign up, see the loop close on the dashboard). It records a signup through
 * the same use case as POST /v1/conversions, for the demo tenant's share links only.
 */
export function registerDemoSignupRoutes(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.use(DEMO_SIGNUP_PATH, async (c, next) => {
    await next();
    c.header("cache-control", "no-store");
    c.header("x-robots-tag", "noindex, nofollow");
  });

  /** The demo tenant's link behind `ref`, with the shared recap's language; or why it is refused. */
  type Resolved = { problem: "unknown" | "refused" } | { problem: null; tenantId: string; locale: string };
  const resolve = async (ref: string): Promise<Resolved> => {
    if (!REF.test(ref)) return { problem: "unknown" as const };
    const link = await findLinkTarget(deps.db, ref);
    if (!link) return { problem: "unknown" as const };
    const tenant = await getTenant(deps.db, link.tenantId);
    if (tenant.slug !== DEMO_SLUG) return { problem: "refused" as const };
    const [recap] = link.recapId
      ? await deps.db.select({ locale: recaps.locale }).from(recaps).where(eq(recaps.id, link.recapId))
      : [];
    return { problem: null, tenantId: tenant.id, locale: recap?.locale ?? tenant.defaultLocale };
  };

  const STATUS: Record<DemoSignupProblem, 400 | 403 | 404 | 409> = { unknown: 404, refused: 403, taken: 409 };
  const problemPage = (c: Context<AppEnv>, lang: ReturnType<typeof pageLocale>, problem: DemoSignupProblem) =>
    c.html(renderPage(<DemoSignupProblemPage lang={lang} problem={problem} />), STATUS[problem]);
  const browserLocales = (c: Context<AppEnv>) => acceptedLocales(c.req.header("accept-language"));

  app.get(DEMO_SIGNUP_PATH, async (c) => {
    const ref = c.req.query("ref") ?? "";
    const chosen = chosenLocale(c.req.query("lang"));
    const found = await resolve(ref);
    if (found.problem) return problemPage(c, pageLocale(chosen, ...browserLocales(c)), found.problem);
    const lang = pageLocale(chosen, found.locale, ...browserLocales(c));
    return c.html(renderPage(<DemoSignupPage lang={lang} shareRef={ref} />));
  });

  app.post(DEMO_SIGNUP_PATH, async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");
    const ref = field("ref");
    const chosen = chosenLocale(field("lang"));
    const found = await resolve(ref);
    if (found.problem) return problemPage(c, pageLocale(chosen, ...browserLocales(c)), found.problem);
    const lang = pageLocale(chosen, found.locale, ...browserLocales(c));
    const values = { name: field("name").slice(0, 100), email: field("email").slice(0, 200) };
    const errors = { name: values.name === "" || undefined, email: !EMAIL.test(values.email) || undefined };
    if (errors.name || errors.email) {
      const page = <DemoSignupPage lang={lang} shareRef={ref} values={values} errors={errors} />;
      return c.html(renderPage(page), 400);
    }
    try {
      // One signup per address, so reloading the confirmation does not count the newcomer twice.
      const result = await recordConversion(deps, {
        tenantId: found.tenantId,
        input: { ref, type: "signup", externalUserId: `demo:${values.email.toLowerCase()}` },
      });
      return c.html(renderPage(<DemoSignedUpPage lang={lang} shareRef={ref} again={!result.created} />), 200);
    } catch (error) {
      if (problemOf(error)?.status === 409) return problemPage(c, lang, "taken");
      throw error;
    }
  });
}
