import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { type ApiResponse, call } from "./http.js";

/** True once the copy is re-drafted for the hidden set and every card and the PDF are rendered for it. */
export async function hiddenNumbersReady(app: App, key: string, id: string): Promise<boolean> {
  const recap = await call(app, "GET", `/v1/recaps/${id}`, { key });
  if (recap.body.copyUpdating) return false;
  const assets = (await call(app, "GET", `/v1/recaps/${id}/assets`, { key })).body.data ?? [];
  return assets.length === 4 && assets.every((row: { stale: boolean }) => !row.stale);
}

/**
 * Hides numbers as the product backend does (PUT /v1/recaps/{id}/hidden-facts), then waits until
 * the copy is re-drafted without them and the cards are rendered again (workers must run).
 * Returns the recap as it is then, with its ETag.
 */
export async function hideNumbersAndWait(
  app: App,
  key: string,
  id: string,
  hiddenFactIds: string[],
): Promise<ApiResponse> {
  const loaded = await call(app, "GET", `/v1/recaps/${id}`, { key });
  const hidden = await call(app, "PUT", `/v1/recaps/${id}/hidden-facts`, {
    key,
    body: { hiddenFactIds },
    headers: { "if-match": loaded.headers.get("etag") ?? "" },
  });
  expect(hidden.status, JSON.stringify(hidden.body)).toBe(200);
  expect(hidden.body.copyUpdating).toBe(true);
  // Polled rather than expect.poll, so beforeAll hooks can use it too.
  const deadline = Date.now() + 60_000;
  while (!(await hiddenNumbersReady(app, key, id))) {
    if (Date.now() > deadline) throw new Error(`recap ${id}: the copy and cards without the hidden numbers never came`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return call(app, "GET", `/v1/recaps/${id}`, { key });
}
