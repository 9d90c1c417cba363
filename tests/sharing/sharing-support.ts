import { createServer } from "node:net";
import { serve } from "@hono/node-server";
import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { seedDemoUsage } from "../support/demo-usage.js";
import { makeApiKey, makeTenant } from "../support/factories.js";
import { hideNumbersAndWait } from "../support/hidden-numbers.js";
import { type ApiResponse, call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";

export const SIGNUP_URL = "https://signup.example.com/join?plan=team&lang=en";

/** A free loopback port, so PUBLIC_BASE_URL can name the socket the test will serve on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A test context whose public base URL is the real socket it serves on (og:image must be fetchable). */
export async function servedContext(env: Record<string, string> = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestContext({ env: { PUBLIC_BASE_URL: baseUrl, ...env } });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    t,
    baseUrl,
    /** Stops the socket (letting in-flight requests finish), then the context. */
    stopServer: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export type SharingTenant = Awaited<ReturnType<typeof sharingTenant>>;

/** A tenant with a signup URL, demo usage, and keys for the backend and the reviewer. */
export async function sharingTenant(t: TestContext, signupUrl: string | null = SIGNUP_URL) {
  const tenant = await makeTenant(t.deps, { signupUrl });
  const all = await makeApiKey(t.deps, tenant.id);
  const backend = await makeApiKey(t.deps, tenant.id, ["recaps:read", "recaps:write"]);
  const reader = await makeApiKey(t.deps, tenant.id, ["recaps:read"]);
  const review = await makeApiKey(t.deps, tenant.id, ["review", "recaps:read"]);
  await seedDemoUsage(t.deps, tenant.id);
  return { tenant, key: all.key, backendKey: backend.key, readerKey: reader.key, reviewKey: review.key };
}

/** Polls until `read` returns what `done` accepts (usable in beforeAll, unlike expect.poll). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function waitForState(app: App, key: string, id: string, state: string): Promise<ApiResponse> {
  return waitFor(
    () => call(app, "GET", `/v1/recaps/${id}`, { key }),
    (response) => response.body?.state === state,
    30_000,
  );
}

function act(app: App, key: string, path: string, recap: ApiResponse, body: unknown) {
  return call(app, "POST", path, { key, body, headers: { "if-match": recap.headers.get("etag") ?? "" } });
}

/** Generate → approve → publish through the API (workers must run); returns the published recap. */
export async function publishedRecap(
  t: TestContext,
  who: SharingTenant,
  account: string,
  options: { hideFirstHeadlineFact?: boolean; waitForAssets?: boolean } = {},
) {
  const created = await call(t.app, "POST", "/v1/recaps", { key: who.backendKey, body: { account } });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const pending = await waitForState(t.app, who.key, created.body.id, "pending_review");
  const approved = await act(t.app, who.reviewKey, `/v1/recaps/${created.body.id}/approve`, pending, {});
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const hidden = options.hideFirstHeadlineFact ? [approved.body.digest.headline[0]] : [];
  // Hiding re-drafts the copy and renders the cards again; publishing waits for both.
  const ready = hidden.length ? await hideNumbersAndWait(t.app, who.backendKey, created.body.id, hidden) : approved;
  const published = await act(t.app, who.backendKey, `/v1/recaps/${created.body.id}/publish`, ready, {
    hiddenFactIds: hidden,
  });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  if (options.waitForAssets) {
    await waitFor(
      async () => {
        const assets = await call(t.app, "GET", `/v1/recaps/${created.body.id}/assets`, { key: who.key });
        // Rendered for the published version: only those have a public address.
        return (assets.body.data ?? [])
          .filter((asset: { publicUrl: string | null }) => asset.publicUrl)
          .map((asset: { kind: string }) => asset.kind)
          .sort();
      },
      (kinds) => kinds.join() === "linkedin,pdf,square,story",
    );
  }
  return { ...published.body, hiddenFactIds: hidden } as {
    id: string;
    version: number;
    locale: string;
    variant: string;
    hiddenFactIds: string[];
    digest: { headline: string[]; facts: { id: string; label: string }[] };
    copy: {
      headline: string;
      linkedinPost: string;
      imageAlt: string;
      callToAction: string;
      highlights: { factId: string; text: string }[];
    };
  };
}

export async function createLink(t: TestContext, key: string, recapId: string, channel = "linkedin") {
  const response = await call(t.app, "POST", `/v1/recaps/${recapId}/links`, { key, body: { channel } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as {
    code: string;
    channel: string;
    shareUrl: string;
    redirectUrl: string;
    recapVersion: number;
  };
}
