import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { linkClicks } from "../src/sharing/sharing.schema.js";
import { type BenchRow, benchDeps, publishedBenchRecap } from "./support.js";

/** The part of autocannon's result this bench reads (the package ships no types). */
type CannonResult = {
  errors: number;
  timeouts: number;
  "2xx": number;
  "3xx": number;
  "4xx": number;
  "5xx": number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
};
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: CannonResult) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const DURATION_S = Number(process.env.BENCH_REDIRECT_SECONDS ?? 10);
const WARM_UP_S = 3;
const CONNECTIONS = 50;

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

function listen(fetch: Fetch): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

/**
 * autocannon runs on this thread, beside the server it loads, for the baseline and the subject
 * alike. (On a worker thread of its own, the bare route's figure swung between 7,000 and 24,000
 * req/s from run to run on a shared 2-core machine: it then needs a whole core for the server and
 * another for the client, and the ratio said more about the neighbours than about the redirect.)
 */
function cannon(url: string, duration = DURATION_S): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        // Many visitors, so the buffer's dedupe and the counted-once index both do real work.
        requests: Array.from({ length: 64 }, (_, index) => ({
          method: "GET",
          headers: { "user-agent": `Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 bench/${index}` },
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * Counts the 302s a fetch handler answers without changing how it answers: the Node adapter's
 * bindings (the socket, which the click's client address comes from) are passed on, and a
 * synchronous Response stays synchronous (the adapter writes those on a faster path).
 */
function counting(fetch: Fetch) {
  let answered = 0;
  const count = (response: Response) => {
    if (response.status === 302) answered++;
    return response;
  };
  return {
    answered: () => answered,
    fetch(request: Request, env?: unknown): Response | Promise<Response> {
      const response = fetch(request, env);
      return response instanceof Promise ? response.then(count) : count(response);
    },
  };
}

/**
 * GET /r/:code through the whole app (middleware, link cache, click buffer) against a bare Hono
 * route answering the same 302 in the same run, 50 connections each, both served and loaded the
 * same way. Fails unless both runs are error-free and every answered redirect (warm-up included)
 * is a row in link_clicks after the flush.
 */
export async function benchRedirect(): Promise<BenchRow[]> {
  const { deps, close } = await benchDeps();
  const servers: { close(): Promise<void> }[] = [];
  try {
    const { app, api, id, rendersDone } = await publishedBenchRecap(deps, {
      name: "Bench",
      slug: "bench-redirect",
      signupUrl: "https://signup.example.com/join?plan=team",
    });
    const link = await api("POST", `/v1/recaps/${id}/links`, { channel: "linkedin" });
    const code = String(link.body.code);
    // Publishing and the first link render the cards on worker threads: let that finish, so the
    // measurement does not share the two cores with a render.
    await rendersDone();

    const bare = new Hono();
    bare.get("/r/:code", (c) =>
      c.redirect(`https://signup.example.com/join?plan=team&ref=${c.req.param("code")}`, 302),
    );
    const baselineServer = await listen(counting(bare.fetch).fetch);
    // Counted at the server: autocannon stops at its deadline without reading the last in-flight answers.
    const subject = counting(app.fetch);
    const appServer = await listen(subject.fetch);
    servers.push(baselineServer, appServer);

    // Warm-up of the machine and of both servers' code (its clicks are counted and checked too).
    await cannon(`${baselineServer.url}/r/${code}`, WARM_UP_S);
    await cannon(`${appServer.url}/r/${code}`, WARM_UP_S);
    const baseline = await cannon(`${baselineServer.url}/r/${code}`);
    const measured = await cannon(`${appServer.url}/r/${code}`);
    await deps.clicks.flush();
    const answered = subject.answered();
    const [stored] = await deps.db
      .select({ total: sql<number>`count(*)::int`, counted: sql<number>`count(*) filter (where counted)::int` })
      .from(linkClicks)
      .where(eq(linkClicks.code, code));
    for (const [name, result] of [
      ["baseline", baseline],
      ["redirect", measured],
    ] as const) {
      if (result.errors || result.timeouts || result["2xx"] || result["4xx"] || result["5xx"]) {
        throw new Error(`${name}: errors ${result.errors}, timeouts ${result.timeouts}, non-302 answers`);
      }
    }
    if (!stored || stored.total !== answered) {
      throw new Error(`clicks lost: ${answered} redirects answered, ${stored?.total} rows stored`);
    }
    const aim = `${answered.toLocaleString("en")} clicks, all stored (${stored.counted} counted)`;
    return [
      {
        name: "GET /r/:code, 50 connections",
        value: Math.round(measured.requests.average),
        unit: "req/s",
        baselineName: "bare Hono 302",
        baselineValue: Math.round(baseline.requests.average),
        ratio: measured.requests.average / baseline.requests.average,
        aim,
      },
      {
        name: "GET /r/:code p50",
        value: measured.latency.p50,
        unit: "ms",
        baselineName: "bare Hono 302",
        baselineValue: baseline.latency.p50,
        ratio: (baseline.latency.p50 || 0.5) / (measured.latency.p50 || 0.5),
      },
      {
        name: "GET /r/:code p99",
        value: measured.latency.p99,
        unit: "ms",
        baselineName: "bare Hono 302",
        baselineValue: baseline.latency.p99,
        ratio: (baseline.latency.p99 || 0.5) / (measured.latency.p99 || 0.5),
        aim: "zero errors; the database is never on the hot path",
      },
    ];
  } finally {
    for (const server of servers) await server.close();
    await close();
  }
}
