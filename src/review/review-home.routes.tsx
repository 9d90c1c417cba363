import type { Hono } from "hono";
import type { Deps } from "../deps.js";
import { requireSessionPage } from "../platform/auth/require-session.js";
import type { AppEnv, SessionPrincipal } from "../platform/http/app-env.js";
import { Layout, renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";

function SignedInHeader(props: { session: SessionPrincipal; tenantName: string }) {
  return (
    <header className="top">
      <strong>{props.tenantName} · Review</strong>
      <form method="post" action="/review/logout">
        <span className="muted">
          {props.session.name} ({props.session.role}){" "}
        </span>
        <input type="hidden" name="_csrf" value={props.session.csrfToken} />
        <button type="submit" className="secondary">
          Sign out
        </button>
      </form>
    </header>
  );
}

/** The reviewer's landing page. The approval queue itself is built by the review issue. */
export function registerReviewHomeRoutes(app: Hono<AppEnv>, deps: Deps) {
  app.get("/review", requireSessionPage(), async (c) => {
    const session = c.get("session") as SessionPrincipal;
    const tenant = await getTenant(deps.db, session.tenantId);
    return c.html(
      renderPage(
        <Layout title="Review" header={<SignedInHeader session={session} tenantName={tenant.name} />}>
          <h1>Recaps waiting for review</h1>
          <p className="muted">No recaps are waiting. Drafts appear here once recaps are generated.</p>
        </Layout>,
      ),
    );
  });
}
