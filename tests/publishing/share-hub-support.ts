import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { type ApiResponse, call } from "../support/http.js";

/** React escapes these in attributes; the tests compare the values people see. */
export function unescapeHtml(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** The opening tag of the element with `data-role="<role>"`, or null. */
export function tagOf(html: string, role: string): string | null {
  return new RegExp(`<[a-z]+\\b[^>]*\\bdata-role="${role}"[^>]*>`).exec(html)?.[0] ?? null;
}

/** An attribute of the element with `data-role="<role>"`, unescaped; throws when there is none. */
export function attrOf(html: string, role: string, name: string): string {
  const tag = tagOf(html, role);
  const value = tag ? new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] : undefined;
  if (value === undefined) throw new Error(`no ${name} on data-role="${role}" in: ${html.slice(0, 300)}`);
  return unescapeHtml(value);
}

async function waitFor<T>(read: () => Promise<T>, want: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (want(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Generates the account's recap, approves it, waits for its four assets, and makes the customer's
 * preview link (workers must run). Returns the recap's id, its draft and the preview page's path.
 */
export async function approvedWithPreview(app: App, key: string, account: string) {
  const created = await call(app, "POST", "/v1/recaps", { key, body: { account } });
  expect(created.status, created.text).toBe(202);
  const id: string = created.body.id;
  const drafted = await waitFor(
    () => call(app, "GET", `/v1/recaps/${id}`, { key }),
    (r) => r.body.state === "pending_review",
    `${account} draft`,
  );
  const approved: ApiResponse = await call(app, "POST", `/v1/recaps/${id}/approve`, {
    key,
    body: {},
    headers: { "if-match": drafted.headers.get("etag") ?? "" },
  });
  expect(approved.body.state, approved.text).toBe("approved");
  await waitFor(
    () => call(app, "GET", `/v1/recaps/${id}/assets`, { key }),
    (r) => r.body.data.length === 4,
    `${account} assets`,
  );
  const link = await call(app, "POST", `/v1/recaps/${id}/preview-link`, { key, body: {} });
  expect(link.status, link.text).toBe(201);
  return {
    id,
    locale: drafted.body.locale as string,
    copy: drafted.body.copy as { headline: string; linkedinPost: string },
    path: new URL(link.body.url).pathname,
  };
}
