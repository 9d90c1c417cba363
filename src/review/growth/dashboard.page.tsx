import type { LoopAnalytics } from "../../loop/loop-analytics.js";
import type { LoopSummary } from "../../loop/loop-metrics.js";
import type { SessionPrincipal } from "../../platform/http/app-env.js";
import { localeName, ReviewShell } from "../pages/components.js";
import {
  FunnelChart,
  type FunnelStep,
  formatDuration,
  formatRate,
  formatRateInterval,
  shareOf,
  TrendChart,
  VariantBars,
} from "./charts.js";

/**
 * The funnel's rates relate recaps to recaps and people to people: visitors per shared recap and
 * paid customers per signup (a customer may pay without an activation being reported).
 */
function funnelSteps(stages: LoopSummary["stages"]): FunnelStep[] {
  const perShared =
    stages.shared === 0 ? undefined : `${(stages.visitors / stages.shared).toFixed(1)} per shared recap`;
  return [
    { label: "Generated", value: stages.generated },
    { label: "Approved", value: stages.approved, note: shareOf(stages.approved, stages.generated, "generated") },
    { label: "Published", value: stages.published, note: shareOf(stages.published, stages.approved, "approved") },
    { label: "Shared", value: stages.shared, note: shareOf(stages.shared, stages.published, "published") },
    { label: "Visitors", value: stages.visitors, note: perShared },
    { label: "Signups", value: stages.signups, note: shareOf(stages.signups, stages.visitors, "visitors") },
    { label: "Activated", value: stages.activated, note: shareOf(stages.activated, stages.signups, "signups") },
    { label: "Paid", value: stages.paid, note: shareOf(stages.paid, stages.signups, "signups") },
  ];
}

const multiplier = (value: number | null) => (value === null ? "–" : `${value.toFixed(2)}×`);
const multiplierRange = (interval: { low: number; high: number } | null) =>
  interval === null ? "–" : `${interval.low.toFixed(2)}–${interval.high.toFixed(2)}×`;
const money = (value: number | null, currency: string) =>
  value === null ? "–" : new Intl.NumberFormat("en", { style: "currency", currency }).format(value);

function Kpi(props: { label: string; value: string; note: string }) {
  return (
    <div className="card kpi">
      <p className="muted kpi-label">{props.label}</p>
      <p className="kpi-value">{props.value}</p>
      <p className="hint">{props.note}</p>
    </div>
  );
}

/** Locales with published recaps, best multiplier first (ties: more signups first). */
function topLocales(byLocale: LoopAnalytics["groups"]) {
  return [...(byLocale ?? [])]
    .filter((group) => group.kpis.publishedRecaps > 0)
    .sort((a, b) => (b.kpis.multiplier ?? 0) - (a.kpis.multiplier ?? 0) || b.stages.signups - a.stages.signups)
    .slice(0, 10);
}

const DASHBOARD_CSS = `.kpis,.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:1rem}
@media(max-width:60rem){.kpis,.grid3{grid-template-columns:1fr}}.kpi-label{margin:0;font-weight:600}
.kpi-value{font-size:2.2rem;font-weight:700;margin:.2rem 0}.grid3 h3{margin-top:0}
.funnel-list{display:none;margin:0;padding-left:1.4rem}.funnel-list li{padding:.15rem 0}
@media(max-width:40rem){.funnel-chart{display:none}.funnel-list{display:block}}`;

export function GrowthDashboardPage(props: {
  session: SessionPrincipal;
  tenantName: string;
  analytics: LoopAnalytics;
  byLocale: LoopAnalytics["groups"];
  range: { from: string; to: string };
  error?: string;
}) {
  const { analytics } = props;
  const { kpis, stages } = analytics.totals;
  const economics = analytics.economics;
  const weeks = analytics.trend;
  return (
    <ReviewShell session={props.session} tenantName={props.tenantName} title="Growth loop">
      <style>{DASHBOARD_CSS}</style>
      <h1>Growth loop</h1>
      <p>
        <a href="/review">Review queue</a> · Recaps generated from {props.range.from} to {props.range.to} (UTC), and
        what their share links brought. Bots are stored but never counted as visitors.
      </p>
      {analytics.demoRecapsIncluded > 0 ? (
        <p className="status" data-demo-data>
          Includes demo data: {analytics.demoRecapsIncluded} sample recaps with their shares, clicks and signups, made
          when the demo tenant was created. Your own recaps are counted beside them.
        </p>
      ) : null}
      <form method="get" action="/review/growth" className="filters" aria-label="Date range">
        <div>
          <label htmlFor="from">From</label>
          <input type="date" id="from" name="from" defaultValue={props.range.from} required />
        </div>
        <div>
          <label htmlFor="to">To (inclusive)</label>
          <input type="date" id="to" name="to" defaultValue={props.range.to} required />
        </div>
        <button type="submit">Show</button>
      </form>
      {props.error ? (
        <p className="error" role="alert">
          {props.error}
        </p>
      ) : null}

      <section aria-labelledby="kpis">
        <h2 id="kpis">The loop</h2>
        <div className="kpis">
          <Kpi
            label="Loop conversion rate"
            value={formatRate(kpis.conversionRate)}
            note={`${kpis.completedLoops} of ${kpis.publishedRecaps} published recaps brought at least one signup; 95 % interval ${formatRateInterval(kpis.conversionRateInterval)}`}
          />
          <Kpi
            label="Loop velocity (median)"
            value={formatDuration(kpis.velocity.medianHours)}
            note={`p90 ${formatDuration(kpis.velocity.p90Hours)}, from publication to the first signup`}
          />
          <Kpi
            label="Loop multiplier"
            value={multiplier(kpis.multiplier)}
            note={`Attributed signups per published recap; 95 % interval ${multiplierRange(kpis.multiplierInterval)}`}
          />
        </div>
        <p className={kpis.verdict === "below_one" ? "error" : "status"}>{kpis.statement}</p>
      </section>

      <section aria-labelledby="funnel">
        <h2 id="funnel">Funnel</h2>
        <div className="card">
          <div className="funnel-chart">
            <FunnelChart title="Recap loop funnel" steps={funnelSteps(stages)} />
          </div>
          {/* On a phone the chart's labels would shrink to a few pixels: the same figures as a list. */}
          <ol className="funnel-list">
            {funnelSteps(stages).map((step) => (
              <li key={step.label}>
                <strong>{step.label}</strong> {step.value.toLocaleString("en-US")}
                {step.note ? <span className="muted"> · {step.note}</span> : null}
              </li>
            ))}
          </ol>
        </div>
        <p className="hint">
          {analytics.totals.humanClicks} human clicks, {analytics.totals.botClicks} bot requests (not counted),{" "}
          {analytics.totals.shareStarts} LinkedIn posts started.
          {analytics.erasedRecapsIncluded > 0
            ? ` Includes ${analytics.erasedRecapsIncluded} recaps of erased accounts, as anonymous counts.`
            : ""}
        </p>
      </section>

      <section aria-labelledby="trend">
        <h2 id="trend">By week of publication</h2>
        <div className="grid3">
          <div className="card">
            <h3>Conversion rate</h3>
            <TrendChart
              title="Loop conversion rate"
              points={weeks.map((w) => ({ label: w.weekStart, value: w.conversionRate }))}
              format={formatRate}
            />
          </div>
          <div className="card">
            <h3>Multiplier</h3>
            <TrendChart
              title="Loop multiplier"
              points={weeks.map((w) => ({ label: w.weekStart, value: w.multiplier }))}
              format={(value) => value.toFixed(1)}
              reference={{ value: 1, label: "1 = self-sustaining" }}
            />
          </div>
          <div className="card">
            <h3>Velocity (median)</h3>
            <TrendChart
              title="Median time to first signup"
              points={weeks.map((w) => ({ label: w.weekStart, value: w.velocity.medianHours }))}
              format={formatDuration}
            />
          </div>
        </div>
        <table className="stack compact">
          <caption>Weekly figures</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Published</th>
              <th scope="col">Completed loops</th>
              <th scope="col">Conversion</th>
              <th scope="col">Multiplier</th>
              <th scope="col">Median velocity</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={week.weekStart}>
                <td>{week.weekStart}</td>
                <td data-label="Published">{week.publishedRecaps}</td>
                <td data-label="Completed loops">{week.completedLoops}</td>
                <td data-label="Conversion">{formatRate(week.conversionRate)}</td>
                <td data-label="Multiplier">{multiplier(week.multiplier)}</td>
                <td data-label="Median velocity">{formatDuration(week.velocity.medianHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="variants">
        <h2 id="variants">Copy variants</h2>
        <div className="grid2">
          <div className="card">
            <VariantBars
              title="Loop conversion rate by variant"
              a={analytics.variants.a.rate}
              b={analytics.variants.b.rate}
            />
          </div>
          <div>
            <p>{analytics.variants.statement}</p>
            <p className="hint">
              A: {analytics.variants.a.successes} of {analytics.variants.a.trials} · B: {analytics.variants.b.successes}{" "}
              of {analytics.variants.b.trials} published recaps completed the loop
              {analytics.variants.pValue !== null ? ` · two-proportion test p = ${analytics.variants.pValue}` : ""}.
            </p>
          </div>
        </div>
      </section>

      <section aria-labelledby="locales">
        <h2 id="locales">Top-performing locales</h2>
        <table className="stack compact">
          <thead>
            <tr>
              <th scope="col">Locale</th>
              <th scope="col">Published</th>
              <th scope="col">Signups</th>
              <th scope="col">Conversion</th>
              <th scope="col">Multiplier</th>
            </tr>
          </thead>
          <tbody>
            {topLocales(props.byLocale).map((group) => (
              <tr key={String(group.key)}>
                <td>{localeName(String(group.key))}</td>
                <td data-label="Published">{group.kpis.publishedRecaps}</td>
                <td data-label="Signups">{group.stages.signups}</td>
                <td data-label="Conversion">{formatRate(group.kpis.conversionRate)}</td>
                <td data-label="Multiplier">{multiplier(group.kpis.multiplier)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="economics">
        <h2 id="economics">Economics</h2>
        <dl className="meta">
          <dt>LLM spend</dt>
          <dd>
            ${economics.llmSpendUsd.toFixed(2)} (
            {economics.llmSpendPerRecapUsd === null ? "–" : `$${economics.llmSpendPerRecapUsd.toFixed(4)}`} per recap)
          </dd>
          <dt>Loop cost</dt>
          <dd>{money(economics.loopCost, economics.currency)} (LLM, review time and rewards)</dd>
          <dt>Cost per signup</dt>
          <dd>{money(economics.costPerSignup, economics.currency)}</dd>
          <dt>Attributed revenue</dt>
          <dd>{money(economics.attributedRevenue, economics.currency)}</dd>
          <dt>Loop CAC</dt>
          <dd>{money(economics.loopCac, economics.currency)}</dd>
          <dt>Paid-channel CAC</dt>
          <dd>{money(economics.paidChannelCac, economics.currency)}</dd>
          <dt>LTV : CAC</dt>
          <dd>
            loop {economics.ltvToLoopCac ?? "–"} · paid channels {economics.ltvToPaidCac ?? "–"}
            {economics.ltvSource === "attributed_revenue" ? " (LTV from attributed revenue per paying customer)" : ""}
          </dd>
        </dl>
        {economics.missing.length > 0 ? (
          <p className="hint">
            Set {economics.missing.join(" and ")} in the tenant's loopEconomics (PATCH /v1/tenant) to complete this.
          </p>
        ) : null}
      </section>
    </ReviewShell>
  );
}
