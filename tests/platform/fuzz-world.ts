import { randomUUID } from "node:crypto";
import type { App } from "../../src/app.js";
import { CARD_SIZES, type Renderer } from "../../src/rendering/rendering.types.js";
import { upsertAccount } from "../../src/usage/accounts.js";
import type { UsageEventInput } from "../../src/usage/event-input.js";
import { ingestEvents } from "../../src/usage/ingestion.js";
import { lastFullQuarter, previousQuarter, quarterRange } from "../../src/usage/period.js";
import { DEFAULT_VALUE_MODEL, upsertMetric } from "../../src/usage/value-model.js";
import { createLink, publishedRecap, type SharingTenant, SIGNUP_URL, waitFor } from "../sharing/sharing-support.js";
import { Browser, hiddenField } from "../support/browser.js";
import { makeApiKey, makeTenant, makeTenantWithKey, makeUser } from "../support/factories.js";
import { call } from "../support/http.js";
import { createTestContext, type TestContext } from "../support/test-context.js";
import { type Receiver, startReceiver } from "../webhooks/receiver.js";

// The world the fuzz and route-guard tests run against: tenant A with one of everything the API
// can address by id (a published and a pending recap, links, a preview link, a conversion, a value
// moment, a webhook endpoint with a delivery, an extra API key, a user, a reviewer session), and
// tenant B with an all-scope key, a reviewer session and nothing else. Jobs run while the world is
// built, then every worker is stopped so nothing moves under the row snapshots.

// ---------------------------------------------------------------------------------------------
// OpenAPI document

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
};

export type Parameter = {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
};

type RawOperation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
};

export type OpenApiDoc = {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type Operation = {
  /** "POST /v1/recaps/{id}/approve" */
  name: string;
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** The documented request body media types, each with its (dereferenced) schema. */
  body: { required: boolean; content: Record<string, JsonSchema> } | undefined;
  /** True when the document asks for credentials (its own `security`, or the document's). */
  secured: boolean;
};

export const HTTP_METHODS = ["get", "put", "post", "patch", "delete", "options", "head", "trace"];

/** Follows `$ref`s to #/components/schemas. */
export function deref(doc: OpenApiDoc, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

export async function loadOpenApi(app: App): Promise<OpenApiDoc> {
  const response = await app.request("/openapi.json");
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDoc;
}

/** Every operation in the document: every path × every HTTP method it lists. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => {
        const content = operation.requestBody?.content;
        const security = operation.security ?? doc.security ?? [];
        return {
          name: `${method.toUpperCase()} ${path}`,
          operationId: operation.operationId ?? `${method} ${path}`,
          method: method.toUpperCase(),
          path,
          parameters: (operation.parameters ?? []).map((p) => ({ ...p, schema: deref(doc, p.schema) })),
          body: content
            ? {
                required: operation.requestBody?.required === true,
                content: Object.fromEntries(Object.entries(content).map(([type, m]) => [type, deref(doc, m.schema)])),
              }
            : undefined,
          secured: security.some((requirement) => Object.keys(requirement).length > 0),
        };
      }),
  );
}

/** `/v1/recaps/{id}` → `/v1/recaps/:id`, the form `app.routes` uses. */
export const honoPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

// ---------------------------------------------------------------------------------------------
// The world

/** Instant cards and PDFs, so publishing does not wait for satori and react-pdf. */
const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);
export const instantRenderer: Renderer = {
  async render(kind) {
    if (kind === "pdf") {
      return {
        kind,
        contentType: "application/pdf",
        bytes: Buffer.from("%PDF-1.4\n%%EOF\n"),
        width: null,
        height: null,
      };
    }
    return { kind, contentType: "image/png", bytes: PNG_1X1, ...CARD_SIZES[kind] };
  },
  async close() {},
};

export type Recap = { id: string; version: number; state: string };

export type World = {
  t: TestContext;
  receiver: Receiver;
  a: SharingTenant & { tenantId: string };
  b: { tenantId: string; key: string };
  recaps: { published: Recap; pending: Recap };
  link: { code: string };
  previewToken: string;
  account: string;
  metricKey: string;
  momentId: string;
  webhookId: string;
  deliveryId: string;
  /** An API key of A's that the tests may address by id (never the key the tests call with). */
  spareKeyId: string;
  userEmail: string;
  /** Signed-in reviewers of A and of B, with the CSRF token of their session's forms. */
  sessions: { a: { browser: Browser; csrf: string }; b: { browser: Browser; csrf: string } };
  close(): Promise<void>;
};

/** Environment for a context that takes thousands of requests from one key in seconds. */
export const FUZZ_ENV: Record<string, string> = {
  PUBLIC_BASE_URL: "https://recaps.example.com",
  WEBHOOKS_ALLOW_INSECURE: "true",
  // Rate limits would turn most of the batch into 429s, which prove nothing about the routes.
  RATE_LIMIT_PER_MINUTE: "off",
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: "off",
};

async function signedIn(app: App, email: string) {
  const browser = new Browser(app);
  const answer = await browser.signIn(email);
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const queue = await browser.get("/review");
  return { browser, csrf: hiddenField(queue.text, "_csrf") };
}

async function recapNow(app: App, key: string, id: string): Promise<Recap> {
  const response = await call(app, "GET", `/v1/recaps/${id}`, { key });
  if (response.status !== 200) throw new Error(`GET recap ${id}: ${response.status}`);
  return { id, version: response.body.version, state: response.body.state };
}

/**
 * A tenant like tests/sharing's sharingTenant (a signup URL, keys for the backend and the reviewer),
 * with the demo value model but usage for only the accounts the world needs: seeding all 30 demo
 * accounts takes most of the setup time on a slow machine.
 */
async function lightTenant(t: TestContext): Promise<SharingTenant> {
  const tenant = await makeTenant(t.deps, { signupUrl: SIGNUP_URL });
  const all = await makeApiKey(t.deps, tenant.id);
  const backend = await makeApiKey(t.deps, tenant.id, ["recaps:read", "recaps:write"]);
  const reader = await makeApiKey(t.deps, tenant.id, ["recaps:read"]);
  const review = await makeApiKey(t.deps, tenant.id, ["review", "recaps:read"]);
  for (const { key, input } of DEFAULT_VALUE_MODEL) await upsertMetric(t.deps.db, tenant.id, key, input);
  const now = t.deps.clock.now();
  for (const [index, externalId] of ["team-20", "team-21", "team-22"].entries()) {
    await upsertAccount(t.deps.db, tenant.id, externalId, {
      name: `Team ${20 + index}`,
      locale: "en",
      currency: "EUR",
      timeZone: "UTC",
      segment: "growth",
      seats: 12,
      subscriptionPrice: 790,
      subscriptionPeriod: "month",
      consent: { publicRecap: true, peerComparison: true },
    });
    const last = lastFullQuarter(now, "UTC");
    const events: UsageEventInput[] = [];
    for (const [quarter, runs] of [
      [previousQuarter(last), 12],
      [last, 16 + index],
    ] as const) {
      const range = quarterRange(quarter, "UTC");
      for (let day = range.start.getTime(); day < range.end.getTime(); day += 86_400_000) {
        const at = (hour: number) => new Date(day + hour * 3_600_000).toISOString();
        events.push({ account: externalId, event: "automation.run", quantity: runs, occurred_at: at(9) });
        events.push({ account: externalId, event: "validation.blocked", quantity: 1, occurred_at: at(11) });
        events.push({ account: externalId, event: "invoice.discount_captured", quantity: 60, occurred_at: at(14) });
        events.push({
          account: externalId,
          event: "user.active",
          quantity: 1,
          occurred_at: at(10),
          properties: { user_id: `u${day % 5}` },
        });
      }
    }
    await ingestEvents(t.deps, tenant.id, events, now);
  }
  return { tenant, key: all.key, backendKey: backend.key, readerKey: reader.key, reviewKey: review.key };
}

/** Builds the world (about ten seconds: drafting, publishing, a webhook delivery). */
export async function createWorld(): Promise<World> {
  const receiver = await startReceiver();
  const t = await createTestContext({ env: FUZZ_ENV, renderer: instantRenderer });
  t.deps.config.webhooksTestAllowedAddresses = ["127.0.0.1"];
  const { app } = t;
  const a = await lightTenant(t);
  const b = await makeTenantWithKey(t.deps);
  await t.startWorkers();

  // The endpoint first, so the recap's events are delivered to it.
  const hook = await call(app, "POST", "/v1/webhooks", { key: a.key, body: { url: `${receiver.origin}/hook` } });
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${hook.text}`);
  const published = await publishedRecap(t, a, "team-20");
  const created = await call(app, "POST", "/v1/recaps", { key: a.backendKey, body: { account: "team-21" } });
  if (created.status !== 202) throw new Error(`recap: ${created.status} ${created.text}`);
  await waitFor(
    () => recapNow(app, a.key, created.body.id),
    (recap) => recap.state === "pending_review",
  );
  const link = await createLink(t, a.backendKey, published.id, "linkedin");
  await createLink(t, a.backendKey, published.id, "email");
  const preview = await call(app, "POST", `/v1/recaps/${published.id}/preview-link`, { key: a.key, body: {} });
  if (preview.status !== 201 && preview.status !== 200) throw new Error(`preview: ${preview.status} ${preview.text}`);
  const conversion = await call(app, "POST", "/v1/conversions", {
    key: a.key,
    body: { ref: link.code, type: "signup", externalUserId: "fuzz-user-1" },
  });
  if (conversion.status !== 201) throw new Error(`conversion: ${conversion.status} ${conversion.text}`);
  const model = await call(app, "GET", "/v1/value-model", { key: a.key });
  const metricKey: string = model.body.metrics[0].key;
  const metricEvent: string = model.body.metrics[0].event;
  const moment = await call(app, "POST", "/v1/value-moments", {
    key: a.key,
    body: { kind: "first_event", name: "First run", event: metricEvent },
  });
  if (moment.status !== 201) throw new Error(`moment: ${moment.status} ${moment.text}`);
  const deliveries = await waitFor(
    () => call(app, "GET", `/v1/webhooks/${hook.body.id}/deliveries`, { key: a.key }),
    (response) => (response.body?.data ?? []).length > 0,
  );
  const spare = await makeApiKey(t.deps, a.tenant.id, ["recaps:read"]);
  const userA = await makeUser(t.deps, a.tenant.id);
  const userB = await makeUser(t.deps, b.tenant.id);
  const sessions = { a: await signedIn(app, userA.email), b: await signedIn(app, userB.email) };

  await settleJobs(t);
  return {
    t,
    receiver,
    a: { ...a, tenantId: a.tenant.id },
    b: { tenantId: b.tenant.id, key: b.key },
    recaps: {
      published: await recapNow(app, a.key, published.id),
      pending: await recapNow(app, a.key, created.body.id),
    },
    link,
    previewToken: new URL(preview.body.url).pathname.split("/").at(-1) ?? "",
    account: "team-20",
    metricKey,
    momentId: moment.body.id,
    webhookId: hook.body.id,
    deliveryId: deliveries.body.data[0].id,
    spareKeyId: spare.record.id,
    userEmail: userA.email,
    sessions,
    async close() {
      await t.close();
      await receiver.close();
    },
  };
}

/** Waits until no job is waiting or running, then stops every worker: jobs enqueued later stay put. */
async function settleJobs(t: TestContext) {
  await waitFor(
    async () =>
      (
        await t.deps.sql<{ n: number }[]>`
          select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active')
            and start_after < now() + interval '1 minute'`
      )[0]?.n ?? 0,
    (n) => n === 0,
    30_000,
  );
  const queues = await t.deps.sql<{ name: string }[]>`select name from pgboss.queue`;
  for (const { name } of queues) await t.deps.queue.boss.offWork(name);
}

// ---------------------------------------------------------------------------------------------
// Filling in a route

/**
 * The value of A's that a path parameter names, by the segment before it: `/v1/recaps/{id}` is a
 * recap. A route whose parameter is not here fails the tests until it is added.
 */
export function seedFor(world: World, path: string, param: string, recap: Recap): string | undefined {
  const segments = path.split("/");
  const at = segments.indexOf(`{${param}}`);
  const before = segments[at - 1] ?? "";
  const seeds: Record<string, string> = {
    "api-keys:id": world.spareKeyId,
    "accounts:externalId": world.account,
    "metrics:key": world.metricKey,
    "recaps:id": recap.id,
    "assets:kind": "linkedin",
    "value-moments:id": world.momentId,
    "webhooks:id": world.webhookId,
    "deliveries:deliveryId": world.deliveryId,
  };
  return seeds[`${before}:${param}`];
}

/** The operation's path with every parameter filled from A's world (throws for an unknown one). */
export function fillPath(world: World, op: Operation, recap: Recap, override: Record<string, string> = {}): string {
  return op.path.replace(/\{([^}]+)\}/g, (_match, param: string) => {
    if (param in override) return override[param] as string;
    const value = seedFor(world, op.path, param, recap);
    if (value === undefined) {
      throw new Error(`${op.name}: no seed value for path parameter {${param}}: add it to seedFor in fuzz-world.ts`);
    }
    return encodeURIComponent(value);
  });
}

/** Recap operations run against both recaps (a published and a pending one); the others once. */
export const recapsFor = (world: World, op: Operation): Recap[] =>
  op.path.startsWith("/v1/recaps/{id}") ? [world.recaps.pending, world.recaps.published] : [world.recaps.published];

/**
 * Bodies that pass validation, by operationId, for the checks that must get past the validator
 * (a cross-tenant request refused with 400 would prove nothing). Others come from the schema.
 */
export function knownValidBody(world: World, operationId: string): unknown {
  const bodies: Record<string, unknown> = {
    updateTenant: { name: "Renamed tenant" },
    createApiKey: { name: "fuzz", scopes: ["recaps:read"] },
    createUser: {
      email: `fuzz-${randomUUID()}@example.test`,
      name: "Fuzz",
      role: "reviewer",
      password: "x".repeat(16),
    },
    upsertAccount: { name: "Fuzz account" },
    ingestEvents: { events: [{ account: world.account, event: "fuzz.event", occurred_at: new Date().toISOString() }] },
    putMetric: {
      label: "Fuzz runs",
      event: "fuzz.event",
      outcomeKind: "adoption",
      unit: "count",
      aggregation: "count",
    },
    generateRecap: { account: world.account },
    editRecapCopy: { headline: "A fresh headline" },
    approveRecap: {},
    rejectRecap: { reason: "Not this time" },
    requestRedraft: { instructions: "Shorter, please" },
    publishRecap: {},
    unpublishRecap: {},
    bulkApproveRecaps: { recaps: [{ id: world.recaps.pending.id, version: world.recaps.pending.version }] },
    createValueMoment: { kind: "first_event", name: "Fuzz moment", event: "fuzz.event" },
    createWebhookEndpoint: { url: `${world.receiver.origin}/fuzz` },
    updateWebhookEndpoint: { description: "fuzzed" },
    createPreviewLink: {},
    createShareLink: { channel: "email" },
    recordConversion: { ref: world.link.code, type: "signup", externalUserId: "fuzz-user-2" },
  };
  return bodies[operationId];
}

// ---------------------------------------------------------------------------------------------
// Row snapshots

/**
 * Columns that change on a refused request by design, and why. Nothing else may change.
 */
export const VOLATILE_COLUMNS: Record<string, { columns: string[]; reason: string }> = {
  api_keys: {
    columns: ["last_used_at"],
    reason: "authentication stamps a key's last use (at most once a minute), refused requests included",
  },
};

/** Tables left out of the snapshot, and why: none (rate limits, which would count refused requests, are off). */
export const VOLATILE_TABLES: Record<string, string> = {};

export type Snapshot = Record<string, string>;

/**
 * Row count and checksum of every table in the public schema (only tenant A's rows when `tenantId`
 * is given and the table has a tenant), and of the pg-boss job ids.
 */
export async function snapshot(t: TestContext, tenantId?: string): Promise<Snapshot> {
  const sql = t.deps.sql;
  const columns = await sql<{ table: string; column: string }[]>`
    select c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
    where c.table_schema = 'public' and tb.table_type = 'BASE TABLE'`;
  const tables = [...new Set(columns.map((c) => c.table))].sort();
  const out: Snapshot = {};
  for (const table of tables) {
    if (table in VOLATILE_TABLES) continue;
    const has = (name: string) => columns.some((c) => c.table === table && c.column === name);
    const where = !tenantId
      ? ""
      : has("tenant_id")
        ? `where t.tenant_id = '${tenantId}'`
        : table === "tenants"
          ? `where t.id = '${tenantId}'`
          : "";
    const skip = VOLATILE_COLUMNS[table]?.columns ?? [];
    const row = skip.length
      ? `(to_jsonb(t) - array[${skip.map((c) => `'${c}'`).join(",")}])::text`
      : "to_jsonb(t)::text";
    const [result] = await sql.unsafe<{ n: number; h: string | null }[]>(
      `select count(*)::int as n, md5(string_agg(r, ',' order by r)) as h from (select ${row} as r from "${table}" t ${where}) s`,
    );
    out[table] = `${result?.n}:${result?.h ?? "-"}`;
  }
  const [jobs] = await sql<{ n: number; h: string | null }[]>`
    select count(*)::int as n, md5(string_agg(id::text, ',' order by id::text)) as h from pgboss.job`;
  out["pgboss.job"] = `${jobs?.n}:${jobs?.h ?? "-"}`;
  return out;
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (table) => before[table] !== after[table],
  );
}

// ---------------------------------------------------------------------------------------------
// Sending

export type Answer = { status: number; headers: Headers; text: string; body: unknown };

export async function send(
  app: App,
  method: string,
  path: string,
  options: { key?: string; headers?: Record<string, string>; body?: string | Uint8Array; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) {
    // The Segment-compatible source takes the same keys as Segment's write key: Basic, empty password.
    headers.authorization = path.startsWith("/integrations/segment/")
      ? `Basic ${Buffer.from(`${options.key}:`).toString("base64")}`
      : `Bearer ${options.key}`;
  }
  if (options.contentType !== undefined && options.contentType !== "") headers["content-type"] = options.contentType;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined && method !== "GET" && method !== "HEAD") init.body = options.body;
  const response = await app.request(path, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, text, body };
}

/** Why an answer is not an acceptable refusal (or an acceptable answer, with `allowSuccess`); null if it is. */
export function problemFault(answer: Answer, options: { allowSuccess?: boolean; status?: number } = {}): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (options.status !== undefined && answer.status !== options.status) {
    return `answered ${answer.status}, expected ${options.status}`;
  }
  if (answer.status < 400) return options.allowSuccess ? null : `was accepted (${answer.status})`;
  const type = answer.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) return `answered ${answer.status} as ${type || "no content type"}`;
  const problem = answer.body as Record<string, unknown> | undefined;
  if (
    typeof problem !== "object" ||
    typeof problem.type !== "string" ||
    typeof problem.title !== "string" ||
    problem.status !== answer.status
  ) {
    return `answered ${answer.status} with a body that is not a problem: ${answer.text.slice(0, 200)}`;
  }
  if (problem.code === "validation_failed" && !(Array.isArray(problem.errors) && problem.errors.length > 0)) {
    return "answered validation_failed without listing the fields";
  }
  return null;
}

/** Runs tasks with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
