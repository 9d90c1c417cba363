import type postgres from "postgres";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "../logging.js";
import { countJobs, type JobCounts } from "./job-counts.js";

/**
 * The service's Prometheus metrics, in a registry of their own (never prom-client's global one:
 * tests build several apps in one process). Every metric and label is listed in
 * docs/observability.md; labels stay bounded — route patterns, never paths; no tenant ids.
 */
export type Metrics = {
  readonly registry: Registry;
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  countProblem(problem: { code: string; status: number }): void;
  observeDraft(attempt: { drafter: string; outcome: string; seconds: number }): void;
  countLlmUsage(spend: { model: string; promptTokens: number; completionTokens: number; costUsd: number }): void;
  observeRender(render: { kind: string; outcome: "ok" | "error"; seconds: number }): void;
  /** A recap whose assets could not be rendered: `glyph_coverage` (its text), or `error`. */
  countRenderFailure(failure: { reason: "glyph_coverage" | "error" }): void;
  countWebhookAttempt(attempt: { result: "succeeded" | "failed"; reason: string | null }): void;
};

/** What the gauges read when Prometheus scrapes: pg-boss's job table, and the click buffer's depth. */
export type MetricSources = {
  sql: postgres.Sql;
  clicks: { readonly pending: number };
  log: Logger;
};

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from a request's arrival to its response, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    // 20 ms is the redirect's p99 aim (README, benchmarks): keep a bucket edge on it.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const problems = new Counter({
    name: "http_problems_total",
    help: "problem+json responses, by problem code and status.",
    labelNames: ["code", "status"] as const,
    registers,
  });
  const collectFailures = new Counter({
    name: "metrics_collect_failures_total",
    help: "Scrapes in which a scrape-time collector (the job counts) could not read its source.",
    labelNames: ["collector"] as const,
    registers,
  });
  // One query per scrape feeds both job gauges: the registry collects every metric at once.
  let jobCounts: Promise<JobCounts | null> | null = null;
  const readJobCounts = () => {
    jobCounts ??= countJobs(sources.sql)
      .catch((error) => {
        collectFailures.inc({ collector: "jobs" });
        sources.log.warn({ err: error }, "metrics: counting jobs failed");
        return null;
      })
      .finally(() => {
        jobCounts = null;
      });
    return jobCounts;
  };
  new Gauge({
    name: "jobs",
    help: "pg-boss jobs by queue and state, counted at scrape time. created/retry: ready to run; deferred: waiting for their start time.",
    labelNames: ["queue", "state"] as const,
    registers,
    async collect() {
      const counts = await readJobCounts();
      this.reset();
      for (const row of counts?.byState ?? []) this.set({ queue: row.queue, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: "jobs_ready_oldest_seconds",
    help: "Age of the oldest job that is ready to run and not yet started, by queue (absent when none waits).",
    labelNames: ["queue"] as const,
    registers,
    async collect() {
      const counts = await readJobCounts();
      this.reset();
      for (const row of counts?.oldestReady ?? []) this.set({ queue: row.queue }, row.seconds);
    },
  });
  const draftDuration = new Histogram({
    name: "drafter_duration_seconds",
    help: "One call to a drafter (LLM or templates), by drafter and outcome of that try.",
    labelNames: ["drafter", "outcome"] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const llmTokens = new Counter({
    name: "llm_tokens_total",
    help: "Tokens spent on LLM calls, by model and type (prompt or completion); failed tries included.",
    labelNames: ["model", "type"] as const,
    registers,
  });
  const llmCost = new Counter({
    name: "llm_cost_usd_total",
    help: "Cost of LLM calls in US dollars at the configured prices, by model.",
    labelNames: ["model"] as const,
    registers,
  });
  const renderDuration = new Histogram({
    name: "render_duration_seconds",
    help: "Rendering one asset (card PNG or PDF) on the worker pool, by asset kind and outcome; cache hits are not renders.",
    labelNames: ["kind", "outcome"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const renderFailures = new Counter({
    name: "recap_render_failures_total",
    help: "Recaps whose cards or PDF could not be rendered, by reason (glyph_coverage: text the fonts cannot draw; error).",
    labelNames: ["reason"] as const,
    registers,
  });
  new Gauge({
    name: "click_buffer_depth",
    help: "Share-link clicks answered but not yet written to the database (this process).",
    registers,
    collect() {
      this.set(sources.clicks.pending);
    },
  });
  const webhookAttempts = new Counter({
    name: "webhook_deliveries_total",
    help: "Webhook delivery attempts, by result.",
    labelNames: ["result"] as const,
    registers,
  });
  const webhookFailures = new Counter({
    name: "webhook_delivery_failures_total",
    help: "Failed webhook delivery attempts, by reason (http_4xx, http_5xx, timeout, network, dns, refused, redirect, gone).",
    labelNames: ["reason"] as const,
    registers,
  });

  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      httpDuration.observe(
        { method: HTTP_METHODS.has(method) ? method : "other", route, status: String(status) },
        seconds,
      );
    },
    countProblem({ code, status }) {
      problems.inc({ code, status: String(status) });
    },
    observeDraft({ drafter, outcome, seconds }) {
      draftDuration.observe({ drafter, outcome }, seconds);
    },
    countLlmUsage({ model, promptTokens, completionTokens, costUsd }) {
      llmTokens.inc({ model, type: "prompt" }, promptTokens);
      llmTokens.inc({ model, type: "completion" }, completionTokens);
      llmCost.inc({ model }, costUsd);
    },
    observeRender({ kind, outcome, seconds }) {
      renderDuration.observe({ kind, outcome }, seconds);
    },
    countRenderFailure({ reason }) {
      renderFailures.inc({ reason });
    },
    countWebhookAttempt({ result, reason }) {
      webhookAttempts.inc({ result });
      if (result === "failed") webhookFailures.inc({ reason: reason ?? "unknown" });
    },
  };
}
