import type { Hono } from "hono";
import type { Deps } from "../../deps.js";
import { DAY_MS, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "../../loop/analytics.routes.js";
import { loopAnalytics } from "../../loop/loop-analytics.js";
import { requireSessionPage } from "../../platform/auth/require-session.js";
import type { AppEnv } from "../../platform/http/app-env.js";
import { renderPage } from "../../platform/pages/render.js";
import { getTenant } from "../../platform/tenancy/tenants.js";
import { sessionOf } from "../pages/page-support.js";
import { GrowthDashboardPage } from "./dashboard.page.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The form's dates (the end day inclusive); a bad range falls back to the default with a message. */
export function dashboardRange(query: { from?: string; to?: string }, now: Date) {
  const fallbackTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const fallback = { from: new Date(fallbackTo.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS), to: fallbackTo };
  if (query.from === undefined && query.to === undefined) return { ...fallback };
  const from = DATE.test(query.from ?? "") ? new Date(`${query.from}T00:00:00Z`) : null;
  const to = DATE.test(query.to ?? "") ? new Date(`${query.to}T00:00:00Z`) : null;
  if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    return { ...fallback, error: "Dates must look like 2026-07-01. Showing the last 13 weeks instead." };
  }
  if (from > to)
    return { ...fallback, error: "The start date is after the end date. Showing the last 13 weeks instead." };
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    return { ...fallback, error: "The range may span at most two years. Showing the last 13 weeks instead." };
  }
  return { from, to };
}

/** The growth team's page: signed-in users of the tenant (reviewers and admins) see its loop. */
export function registerLoopDashboardRoutes(app: Hono<AppEnv>, deps: Deps) {
  app.get("/review/growth", requireSessionPage(), async (c) => {
    const session = sessionOf(c);
    const range = dashboardRange(c.req.query(), deps.clock.now());
    const query = { from: range.from, to: new Date(range.to.getTime() + DAY_MS) };
    // One read of the cohort: grouping by locale leaves the totals, trend and variants as they are.
    const [tenant, analytics] = await Promise.all([
      getTenant(deps.db, session.tenantId),
      loopAnalytics(deps, session.tenantId, { ...query, groupBy: "locale" }),
    ]);
    const page = (
      <GrowthDashboardPage
        session={session}
        tenantName={tenant.name}
        analytics={analytics}
        byLocale={analytics.groups}
        range={{ from: day(range.from), to: day(range.to) }}
        error={"error" in range ? range.error : undefined}
      />
    );
    return c.html(renderPage(page), "error" in range ? 400 : 200);
  });
}
