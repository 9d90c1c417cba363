import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "../../src/platform/tenancy/api-keys.js";
import { Browser } from "../support/browser.js";
import { makeApiKey } from "../support/factories.js";
import {
  type Answer,
  changedTables,
  createWorld,
  fillPath,
  honoPath,
  knownValidBody,
  loadOpenApi,
  type Operation,
  operationsOf,
  problemFault,
  type Recap,
  recapsFor,
  send,
  snapshot,
  type World,
} from "./fuzz-world.js";
import { pick, sampleOne, validArb } from "./schema-fuzz.js";

// Every route the app serves is either documented in /openapi.json and refuses callers without a
// key, a reviewer page that refuses visitors without a session, or on an explicit public list with
// its reason. Tenant B's key (holding every scope) and B's reviewer session get 404 for anything of
// tenant A's and change nothing of A's. The lists below are checked against the app's own route
// table, so a route added later without a guard fails here until someone decides what it is.

/** Documented operations that need no API key, and why. */
const PUBLIC_OPERATIONS: Record<string, string> = {};

/**
 * Documented operations whose path parameter is a name in the caller's own namespace, not an id:
 * another tenant's name creates the caller's own resource (PUT is an upsert) instead of a 404.
 * They are still checked: B's request must answer with B's resource and change nothing of A's.
 */
const UPSERTS_BY_NAME: Record<string, string> = {
  "PUT /v1/accounts/{externalId}": "external ids are per tenant: B's PUT creates B's own account",
  "PUT /v1/value-model/metrics/{key}": "metric keys are per tenant: B's PUT creates B's own metric",
};

/** Routes outside /v1 and /review that anyone may call, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  "GET /healthz": "liveness probe, says nothing",
  "GET /readyz": "readiness probe, says nothing tenant-specific",
  "GET /openapi.json": "the API's public description",
  "GET /docs": "the API reference page",
  "GET /docs/assets/:file": "the reference page's static files",
  "GET /assets/:file{[0-9a-f]{64}\\.(?:png|pdf)}": "published cards by content hash (unguessable, public by design)",
  "GET /p/:token": "the end customer's preview: the token is the credential",
  "GET /p/:token/assets/:kind": "the preview's images: the token is the credential",
  "POST /p/:token/publish": "the end customer publishes: the token is the credential",
  "POST /p/:token/unpublish": "the end customer unpublishes: the token is the credential",
  "POST /p/:token/hide": "the end customer hides numbers: the token is the credential",
  "GET /p/:token/status": "whether the preview's new text and card are ready: the token is the credential",
  "GET /preview-assets/customer.js": "the preview page's static script",
  "GET /preview-assets/share-hub.js": "the share hub's static script (copy, the phone's share sheet)",
  "GET /preview-assets/choices.js": "the preview page's script for the customer's choices",
  "GET /p/:token/preview/:size": "the card rendered for the customer's choices: the token is the credential",
  "POST /p/:token/look": "the end customer chooses the look and first card size: the token is the credential",
  "POST /p/:token/wording": "the end customer chooses a drafted wording: the token is the credential",
  "POST /p/:token/post": "the end customer edits the post, every number checked: the token is the credential",
  "GET /s/:code": "the public share page of a published recap",
  "GET /r/:code": "the tracked share redirect",
  "GET /sharing/share.js": "the share page's static script",
  "GET /s/:code/pdf": "a published recap's PDF by share link (what the hub's e-mail carries)",
  "GET /sharing/fonts/:file": "the share page's font files (Inter, from the npm package)",
  "GET /demo/signup": "the demo tenant's signup form; refuses any other tenant's ref",
  "POST /demo/signup": "a fictitious signup for a demo share link only: records nothing for other tenants",
};

/** Routes for the operator, not tenants: refused to an in-process caller without the token. */
const OPERATOR_ROUTES: Record<string, string> = {
  "GET /metrics": "Prometheus scrape: METRICS_TOKEN, or a direct request from loopback",
};

/** Reviewer routes that work without a session, and why. */
const PUBLIC_REVIEW_ROUTES: Record<string, string> = {
  "GET /review/login": "the sign-in form",
  "POST /review/login": "signing in",
  "POST /review/logout": "signing out (ends whatever session the cookie names)",
  "GET /review/assets/review.js": "the review pages' static script",
};

let world: World;
let operations: Operation[];
let revokedKey: string;
/** The app's own route table: "METHOD /path" for every handler (middleware left out). */
let routes: string[];

beforeAll(async () => {
  world = await createWorld();
  operations = operationsOf(await loadOpenApi(world.t.app));
  const revoked = await makeApiKey(world.t.deps, world.a.tenantId);
  await revokeApiKey(world.t.deps.db, world.a.tenantId, revoked.record.id);
  revokedKey = revoked.key;
  routes = [...new Set(world.t.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))];
}, 120_000);
afterAll(async () => {
  await world?.close();
});

/** A request that would pass validation, so only the guard can refuse it. */
function validBody(op: Operation): string | undefined {
  const type = Object.keys(op.body?.content ?? {}).find((t) => t.includes("json"));
  if (!type) return undefined;
  const known = knownValidBody(world, op.operationId);
  return JSON.stringify(known !== undefined ? known : sampleOne(validArb(op.body?.content[type] ?? {})));
}

async function etagOf(recap: Recap): Promise<string> {
  const response = await send(world.t.app, "GET", `/v1/recaps/${recap.id}`, { key: world.a.key });
  return response.headers.get("etag") ?? `"${recap.version}"`;
}

/** Sends `op` as a valid request (body, If-Match of A's recap) with the given credentials. */
async function sendAs(op: Operation, recap: Recap, authorization: string | undefined): Promise<Answer> {
  const body = validBody(op);
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (op.parameters.some((p) => p.in === "header" && p.name === "if-match")) headers["if-match"] = await etagOf(recap);
  return send(world.t.app, op.method, fillPath(world, op, recap), {
    headers,
    ...(body !== undefined ? { body, contentType: "application/json" } : {}),
  });
}

/** Everything of A's that B must never see. */
function identifiersOfA(): string[] {
  return [
    world.a.tenantId,
    world.recaps.published.id,
    world.recaps.pending.id,
    world.link.code,
    world.momentId,
    world.webhookId,
    world.deliveryId,
    world.spareKeyId,
    world.userEmail,
    world.previewToken,
  ];
}

describe("the route table", () => {
  it("documents every /v1 route and lists every other unguarded route with a reason", () => {
    const documented = new Set(operations.map((op) => `${op.method} ${honoPath(op.path)}`));
    const unclassified = routes.filter((route) => {
      const path = route.slice(route.indexOf(" ") + 1);
      // The Segment-compatible source is an API too (HTTP Basic with a write key): documented like /v1.
      if (path.startsWith("/v1/") || path.startsWith("/integrations/")) return !documented.has(route);
      if (path === "/review" || path.startsWith("/review/")) return false;
      return !(route in PUBLIC_ROUTES) && !(route in OPERATOR_ROUTES);
    });
    expect(unclassified, "routes that are neither documented, reviewer pages nor listed public").toEqual([]);
    const listed = [
      ...Object.keys(PUBLIC_ROUTES),
      ...Object.keys(OPERATOR_ROUTES),
      ...Object.keys(PUBLIC_REVIEW_ROUTES),
    ];
    expect(
      listed.filter((route) => !routes.includes(route)),
      "allow-list entries for routes that no longer exist",
    ).toEqual([]);
    expect(
      Object.keys({ ...PUBLIC_OPERATIONS, ...UPSERTS_BY_NAME }).filter(
        (name) => !operations.some((op) => op.name === name),
      ),
      "entries for operations that no longer exist",
    ).toEqual([]);
  });

  it("documents credentials for every operation but the listed public ones", () => {
    const undocumented = operations.filter((op) => !op.secured && !(op.name in PUBLIC_OPERATIONS)).map((op) => op.name);
    expect(undocumented).toEqual([]);
  });

  it("refuses the operator's routes to a caller without the token", async () => {
    for (const route of Object.keys(OPERATOR_ROUTES)) {
      const [method = "", path = ""] = route.split(" ");
      const answer = await send(world.t.app, method, path, { headers: { authorization: "Bearer not-the-token" } });
      expect([401, 403], `${route}: ${answer.status}`).toContain(answer.status);
      expect(problemFault(answer)).toBeNull();
    }
  });
});

describe("API operations without valid credentials", () => {
  it("answer 401 problem+json to every operation and change nothing", async () => {
    const before = await snapshot(world.t);
    const variants: [string, string | undefined][] = [
      ["no Authorization header", undefined],
      ["an empty Authorization header", ""],
      ["a bare Bearer", "Bearer"],
      ["a Bearer token that is not a key", "Bearer nonsense"],
      ["a well-formed key nobody issued", `Bearer ork_00000000_${"A".repeat(43)}`],
      ["a revoked key", `Bearer ${revokedKey}`],
      ["a real key with a character added", `Bearer ${world.a.key}x`],
      ["Basic credentials", `Basic ${Buffer.from(`${world.a.key}:`).toString("base64")}`],
      ["the key without a scheme", world.a.key],
      ["another tenant's key in a second header value", `Bearer ${world.b.key}, Bearer ${world.a.key}`],
    ];
    const faults: string[] = [];
    for (const [index, op] of operations.entries()) {
      if (op.name in PUBLIC_OPERATIONS) {
        const answer = await sendAs(op, recapsFor(world, op)[0] as Recap, undefined);
        if (answer.status === 401) faults.push(`${op.name} is listed public but answered 401`);
        continue;
      }
      // Every operation without any header, and a few of the other variants each (all of them across all).
      // Segment's routes take the key as Basic user name with an empty password: a password makes it bad.
      const basic = op.path.startsWith("/integrations/segment/");
      const scheme = basic ? "Basic" : "Bearer";
      const opVariants = variants.map(([label, value]): [string, string | undefined] =>
        basic && label === "Basic credentials"
          ? ["Basic credentials with a password", `Basic ${Buffer.from(`${world.a.key}:pw`).toString("base64")}`]
          : [label, value],
      );
      for (const [label, authorization] of [opVariants[0], ...pick(opVariants.slice(1), 3, index)] as [
        string,
        string | undefined,
      ][]) {
        const answer = await sendAs(op, recapsFor(world, op)[0] as Recap, authorization);
        const fault =
          problemFault(answer, { status: 401 }) ??
          ((answer.body as { code?: string })?.code !== "unauthorized" ? "not an unauthorized problem" : null) ??
          (answer.headers.get("www-authenticate")?.startsWith(scheme) ? null : `no WWW-Authenticate: ${scheme}`);
        if (fault) faults.push(`${op.name} with ${label}: ${fault}`);
      }
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
  }, 60_000);
});

describe("tenant B's key (every scope) on tenant A's resources", () => {
  it("answers 404 for every operation on an id of A's, and changes nothing of A's", async () => {
    const withIds = operations.filter((op) => op.parameters.some((p) => p.in === "path"));
    expect(withIds.length).toBeGreaterThan(10);
    // A's own key reaches every id the test uses: the 404s below are the guard, not a bad id.
    for (const op of withIds.filter((o) => o.method === "GET")) {
      for (const recap of recapsFor(world, op)) {
        // (An asset not rendered yet is a 404 of its own kind, not_rendered: the id is still A's.)
        const own = await sendAs(op, recap, `Bearer ${world.a.key}`);
        const code = (own.body as { code?: string } | undefined)?.code;
        expect(
          own.status < 400 || code === "not_rendered",
          `${op.name} with A's own key: ${own.text.slice(0, 200)}`,
        ).toBe(true);
      }
    }
    const before = await snapshot(world.t, world.a.tenantId);
    const faults: string[] = [];
    // Reads first, then changes, the upserts last (they create B's own rows under A's names).
    const order = (op: Operation) => (op.name in UPSERTS_BY_NAME ? 2 : op.method === "GET" ? 0 : 1);
    for (const op of [...withIds].sort((x, y) => order(x) - order(y))) {
      for (const recap of recapsFor(world, op)) {
        const answer = await sendAs(op, recap, `Bearer ${world.b.key}`);
        // The problem's `instance` repeats the path B asked for; anything else of A's is a leak.
        const asked = `${fillPath(world, op, recap)} ${validBody(op) ?? ""}`;
        const leaked = identifiersOfA().filter((id) => answer.text.includes(id) && !asked.includes(id));
        if (leaked.length) faults.push(`${op.name}: the answer shows A's ${leaked.join(", ")}`);
        if (op.name in UPSERTS_BY_NAME) {
          if (answer.status !== 200 && answer.status !== 201)
            faults.push(`${op.name}: upsert answered ${answer.status}`);
          continue;
        }
        const fault =
          problemFault(answer, { status: 404 }) ??
          ((answer.body as { code?: string })?.code === "not_found" ? null : "not a not_found problem");
        if (fault) faults.push(`${op.name} (${fillPath(world, op, recap)}): ${fault}`);
      }
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t, world.a.tenantId))).toEqual([]);
  }, 60_000);

  it("answers 404 when B names its own parent and A's child (the second id is checked too)", async () => {
    const hook = await send(world.t.app, "POST", "/v1/webhooks", {
      key: world.b.key,
      body: JSON.stringify({ url: `${world.receiver.origin}/b-hook` }),
      contentType: "application/json",
    });
    expect(hook.status, hook.text).toBe(201);
    /** B's own resource for the first path parameter, by the segment before it. */
    const ownOfB: Record<string, string> = { "webhooks:id": (hook.body as { id: string }).id };
    const before = await snapshot(world.t, world.a.tenantId);
    const faults: string[] = [];
    for (const op of operations.filter((o) => o.parameters.filter((p) => p.in === "path").length >= 2)) {
      const [first] = op.parameters.filter((p) => p.in === "path");
      const segments = op.path.split("/");
      const parentSegment = segments[segments.indexOf(`{${first?.name}}`) - 1];
      const own = ownOfB[`${parentSegment}:${first?.name}`];
      if (op.path.includes("/assets/{kind}")) continue; // {kind} is a name, not an id of A's
      if (!own) {
        faults.push(`${op.name}: no resource of B's for {${first?.name}}; add one to ownOfB`);
        continue;
      }
      const answer = await send(
        world.t.app,
        op.method,
        fillPath(world, op, world.recaps.published, { [first?.name ?? ""]: own }),
        {
          key: world.b.key,
          ...(validBody(op) !== undefined ? { body: validBody(op), contentType: "application/json" } : {}),
        },
      );
      const fault = problemFault(answer, { status: 404 });
      if (fault) faults.push(`${op.name} with B's parent and A's child: ${fault}`);
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t, world.a.tenantId))).toEqual([]);
  });

  it("shows nothing of A's in B's lists, and B's requests naming A's things in the body change nothing of A's", async () => {
    const before = await snapshot(world.t, world.a.tenantId);
    const faults: string[] = [];
    for (const op of operations.filter((o) => !o.parameters.some((p) => p.in === "path"))) {
      const body = validBody(op);
      const answer = await sendAs(op, world.recaps.published, `Bearer ${world.b.key}`);
      if (answer.status >= 500) faults.push(`${op.name}: ${answer.status}`);
      const leaked = identifiersOfA().filter((id) => answer.text.includes(id) && !body?.includes(id));
      if (leaked.length) faults.push(`${op.name}: B's answer shows A's ${leaked.join(", ")}`);
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t, world.a.tenantId))).toEqual([]);
  }, 60_000);
});

describe("reviewer pages", () => {
  /** Every /review route in the app's route table that needs a session. */
  const guardedReviewRoutes = () =>
    routes.filter((route) => / \/review(\/|$)/.test(route) && !(route in PUBLIC_REVIEW_ROUTES));

  function fillReviewPath(route: string, recap: Recap): string {
    const path = route.slice(route.indexOf(" ") + 1);
    return path.replace(/:(\w+)(\{[^}]*\})?/g, (_match, name: string) => {
      const values: Record<string, string> = { id: recap.id, kind: "linkedin" };
      const value = values[name];
      if (value === undefined) throw new Error(`${route}: no value for :${name}; add it to fillReviewPath`);
      return value;
    });
  }

  /** A plausible form for any review POST: B's CSRF token, A's version, every text field. */
  const form = (csrf: string, recap: Recap) => ({
    _csrf: csrf,
    version: String(recap.version),
    reason: "not mine",
    instructions: "shorter",
    overrideReason: "fine",
    headline: "Changed",
    approve: `${recap.id}:${recap.version}`,
    return: "state=all",
  });

  it("sends a visitor without a session (or with a forged one) to sign in, never to the page", async () => {
    expect(guardedReviewRoutes().length).toBeGreaterThan(3);
    const before = await snapshot(world.t);
    const faults: string[] = [];
    for (const route of guardedReviewRoutes()) {
      const method = route.slice(0, route.indexOf(" "));
      for (const recap of [world.recaps.pending, world.recaps.published]) {
        const path = fillReviewPath(route, recap);
        for (const cookie of [undefined, "or_session=forged-session-token"]) {
          const visitor = new Browser(world.t.app);
          if (cookie) visitor.cookies.set("or_session", cookie.split("=")[1] as string);
          const page =
            method === "GET" ? await visitor.get(path) : await visitor.send(method, path, form("forged", recap));
          const toLogin = page.status === 303 && page.location?.startsWith("/review/login");
          if (!toLogin && page.status !== 401) {
            faults.push(
              `${route} ${cookie ? "with a forged cookie" : "anonymous"}: ${page.status} ${page.location ?? ""}`,
            );
          }
        }
      }
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t))).toEqual([]);
  }, 60_000);

  it("answers B's reviewer 404 on A's recaps, and shows B nothing of A's anywhere", async () => {
    const b = world.sessions.b;
    const perRecap = (route: string) => route.includes(":id");
    const targets = (route: string) =>
      perRecap(route) ? [world.recaps.pending, world.recaps.published] : [world.recaps.pending];
    // A's own reviewer gets each page: the 404s below are the guard, not a broken page.
    for (const route of guardedReviewRoutes().filter((r) => r.startsWith("GET ") && perRecap(r))) {
      for (const recap of targets(route)) {
        const own = await world.sessions.a.browser.get(fillReviewPath(route, recap));
        expect(own.status, `${route}: A's own reviewer`).toBe(200);
      }
    }
    const before = await snapshot(world.t, world.a.tenantId);
    const faults: string[] = [];
    for (const route of guardedReviewRoutes()) {
      const method = route.slice(0, route.indexOf(" "));
      for (const recap of targets(route)) {
        const path = fillReviewPath(route, recap);
        const page =
          method === "GET" ? await b.browser.get(path) : await b.browser.send(method, path, form(b.csrf, recap));
        if (page.status >= 500) faults.push(`${route}: ${page.status}`);
        if (perRecap(route) && page.status !== 404)
          faults.push(`${route}: B's reviewer got ${page.status}, expected 404`);
        // What B sent may come back (the path in a problem's `instance`, a bulk approval's refusals).
        const leaked = [...identifiersOfA(), "Team 20", "Team 21"].filter(
          (id) => page.text.includes(id) && !path.includes(id) && !(method === "POST" && id === recap.id),
        );
        if (leaked.length) faults.push(`${route}: B's page shows A's ${leaked.join(", ")}`);
      }
    }
    expect(faults).toEqual([]);
    expect(changedTables(before, await snapshot(world.t, world.a.tenantId))).toEqual([]);
  }, 60_000);
});

describe("public routes", () => {
  it("answer a made-up token, code or file with 404 or 410, never a page", async () => {
    const faults: string[] = [];
    for (const route of Object.keys(PUBLIC_ROUTES)) {
      if (!/:\w/.test(route)) continue;
      const [method = "", template = ""] = route.split(" ");
      const path = template
        .replace(/:file\{.*\}$/, `${"0".repeat(64)}.png`)
        .replace(/:kind/, "linkedin")
        .replace(/:(\w+)/g, "madeupvalue000");
      const answer = await send(
        world.t.app,
        method,
        path,
        method === "POST" ? { body: "", contentType: "application/x-www-form-urlencoded" } : {},
      );
      if (![403, 404, 410].includes(answer.status)) faults.push(`${route} (${path}): ${answer.status}`);
    }
    expect(faults).toEqual([]);
  });
});
