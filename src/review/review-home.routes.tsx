import type { Context, Hono } from "hono";
import type { Deps } from "../deps.js";
import { requireSessionPage } from "../platform/auth/require-session.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { bulkApproveClean } from "./bulk-approve.js";
import { csrfFailure, type FormBody, formList, sessionOf, UUID } from "./pages/page-support.js";
import { type BulkResult, QueuePage } from "./pages/queue.page.js";
import { parseQueueFilter, parseQueuePage, QUEUE_PAGE_SIZE, queueCounts, queueRows } from "./pages/queue-queries.js";
import { actorFor } from "./review.routes.js";

const BULK_LIMIT = 100;

/** The queue: counts per state, a GET filter form, the table, and bulk approval of clean drafts. */
export function registerReviewHomeRoutes(app: Hono<AppEnv>, deps: Deps) {
  const showQueue = async (
    c: Context<AppEnv>,
    query: Record<string, string | undefined>,
    status: 200 | 400,
    extra: { bulkResults?: BulkResult[]; error?: string } = {},
  ) => {
    const session = sessionOf(c);
    const filter = parseQueueFilter(query);
    const pageNumber = parseQueuePage(query.page);
    const now = deps.clock.now();
    // One row more than a page tells whether there is a next page without counting again.
    const [tenant, counts, fetched] = await Promise.all([
      getTenant(deps.db, session.tenantId),
      queueCounts(deps.db, session.tenantId, filter, now),
      queueRows(deps.db, session.tenantId, filter, now, QUEUE_PAGE_SIZE + 1, (pageNumber - 1) * QUEUE_PAGE_SIZE),
    ]);
    const page = (
      <QueuePage
        session={session}
        tenantName={tenant.name}
        now={now}
        filter={filter}
        counts={counts}
        rows={fetched.slice(0, QUEUE_PAGE_SIZE)}
        page={pageNumber}
        pageSize={QUEUE_PAGE_SIZE}
        hasNext={fetched.length > QUEUE_PAGE_SIZE}
        {...extra}
      />
    );
    return c.html(renderPage(page), status);
  };

  app.get("/review", requireSessionPage(), (c) => showQueue(c, c.req.query(), 200));
  // The bulk form returns to the page it was sent from: `return` carries the filters and the page.

  /**
   * Approves each selected draft at the version the queue showed, one at a time, and reports what
   * happened to each: approved, skipped (no longer a clean draft) or refused (changed meanwhile).
   * A resubmitted form approves nothing twice: the versions are stale by then.
   */
  app.post("/review/bulk-approve", requireSessionPage(), async (c) => {
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const refused = csrfFailure(c, form);
    if (refused) return refused;
    const back = typeof form.return === "string" ? form.return : "";
    const query = Object.fromEntries(new URLSearchParams(back));
    const picks = formList(form, "approve").slice(0, BULK_LIMIT);
    if (picks.length === 0) return showQueue(c, query, 400, { error: "Select at least one clean draft to approve." });
    const session = sessionOf(c);
    const parsed = picks.flatMap((pick) => {
      const [id = "", versionText = ""] = pick.split(":");
      return UUID.test(id) && /^\d{1,9}$/.test(versionText) ? [{ id, version: Number(versionText) }] : [];
    });
    const results: BulkResult[] = await bulkApproveClean(deps, session.tenantId, actorFor(session, "review"), parsed);
    return showQueue(c, query, 200, { bulkResults: results });
  });
}
