import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Hono } from "hono";
import type { Deps } from "../deps.js";
import { requireSessionPage } from "../platform/auth/require-session.js";
import type { AppEnv } from "../platform/http/app-env.js";
import { renderPage } from "../platform/pages/render.js";
import { getTenant } from "../platform/tenancy/tenants.js";
import { errorPage, sessionOf, UUID } from "../review/pages/page-support.js";
import { customerEmails } from "./mail.schema.js";
import { outboxDir } from "./mail-transport.js";
import { OutboxPage } from "./outbox.page.js";

const LIMIT = 200;

/**
 * The demo's mailbox: what the service e-mailed the tenant's customers, newest first, for signed-in
 * people of that tenant only. Messages written to the outbox (no SMTP_URL) open as raw .eml text.
 */
export function registerOutboxRoutes(app: Hono<AppEnv>, deps: Deps) {
  app.get("/review/outbox", requireSessionPage(), async (c) => {
    const session = sessionOf(c);
    const [tenant, rows] = await Promise.all([
      getTenant(deps.db, session.tenantId),
      deps.db
        .select()
        .from(customerEmails)
        .where(and(eq(customerEmails.tenantId, session.tenantId), isNotNull(customerEmails.sentAt)))
        .orderBy(desc(customerEmails.sentAt))
        .limit(LIMIT),
    ]);
    const page = (
      <OutboxPage
        session={session}
        tenantName={tenant.name}
        smtp={Boolean(deps.config.mail.smtpUrl)}
        limit={LIMIT}
        messages={rows.map((row) => ({
          id: row.id,
          recapId: row.recapId,
          sentAt: row.sentAt as Date,
          to: row.toAddress ?? "",
          subject: row.subject ?? "",
          locale: row.locale ?? "",
          transport: row.transport ?? "outbox",
          viewable: Boolean(row.outboxFile),
        }))}
      />
    );
    return c.html(renderPage(page), 200);
  });

  // The message's id goes in the query: path parameters named :id under /review are recap ids.
  app.get("/review/outbox/message", requireSessionPage(), async (c) => {
    const session = sessionOf(c);
    const id = c.req.query("id") ?? "";
    const missing = () =>
      errorPage(c, 404, "Message not found", "This message does not exist, or it belongs to another workspace.", {
        href: "/review/outbox",
        label: "Back to the outbox",
      });
    if (!UUID.test(id)) return missing();
    const [row] = await deps.db
      .select({ file: customerEmails.outboxFile })
      .from(customerEmails)
      .where(and(eq(customerEmails.id, id), eq(customerEmails.tenantId, session.tenantId)));
    if (!row?.file) return missing();
    // The name comes from our own row, but basename keeps a path from ever leaving the tenant's folder.
    const bytes = await readFile(join(outboxDir(deps.config.dataDir, session.tenantId), basename(row.file))).catch(
      () => null,
    );
    if (!bytes) return missing();
    c.header("content-type", "text/plain; charset=utf-8");
    c.header("x-content-type-options", "nosniff");
    c.header("content-disposition", `inline; filename="${basename(row.file)}"`);
    return c.body(new Uint8Array(bytes), 200);
  });
}
