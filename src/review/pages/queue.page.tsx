import { recapPeriod } from "../../i18n/format.js";
import type { SessionPrincipal } from "../../platform/http/app-env.js";
import type { RecapState } from "../../recaps/recaps.schema.js";
import {
  ErrorAlert,
  FlaggedBadge,
  formatAge,
  humanize,
  localeName,
  ReviewShell,
  StateBadge,
  VARIANT_NAMES,
} from "./components.js";
import {
  AGE_CHOICES,
  filterQuery,
  isCleanDraft,
  QUEUE_STATES,
  type QueueFilter,
  type QueueRow,
  SUPPORTED_LOCALES,
} from "./queue-queries.js";

export type BulkResult = { id: string; label: string; outcome: "approved" | "skipped" | "failed"; message: string };

export type QueuePageProps = {
  session: SessionPrincipal;
  tenantName: string;
  now: Date;
  filter: QueueFilter;
  counts: { byState: Map<RecapState, number>; total: number };
  rows: QueueRow[];
  /** 1-based. */
  page: number;
  pageSize: number;
  hasNext: boolean;
  bulkResults?: BulkResult[] | undefined;
  error?: string | undefined;
};

function StateTabs(props: { filter: QueueFilter; counts: QueuePageProps["counts"] }) {
  const current = props.filter.state ?? "all";
  const shown = QUEUE_STATES.filter(
    (state) => state === "pending_review" || state === current || (props.counts.byState.get(state) ?? 0) > 0,
  );
  const tab = (state: RecapState | "all", label: string, n: number) => (
    <li key={state}>
      <a href={`/review?${filterQuery(props.filter, state)}`} aria-current={current === state ? "page" : undefined}>
        {label} <span className="muted">({n})</span>
      </a>
    </li>
  );
  return (
    <nav aria-label="Recaps by state">
      <ul className="tabs">
        {shown.map((state) => tab(state, humanize(state), props.counts.byState.get(state) ?? 0))}
        {tab("all", "all states", props.counts.total)}
      </ul>
    </nav>
  );
}

function Select(props: { id: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} name={props.id} defaultValue={props.value}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters(props: { filter: QueueFilter }) {
  const f = props.filter;
  return (
    <form method="get" action="/review" className="filters" aria-label="Filter recaps">
      <Select
        id="state"
        label="State"
        value={f.state ?? "all"}
        options={[["all", "All states"], ...QUEUE_STATES.map((s): [string, string] => [s, humanize(s)])]}
      />
      <Select
        id="locale"
        label="Locale"
        value={f.locale ?? ""}
        options={[["", "Any locale"], ...SUPPORTED_LOCALES.map((l): [string, string] => [l, localeName(l)])]}
      />
      <Select
        id="variant"
        label="Variant"
        value={f.variant ?? ""}
        options={[
          ["", "Any variant"],
          ["A", VARIANT_NAMES.A ?? "A"],
          ["B", VARIANT_NAMES.B ?? "B"],
        ]}
      />
      <Select
        id="flagged"
        label="Flagged"
        value={f.flagged === undefined ? "" : f.flagged ? "yes" : "no"}
        options={[
          ["", "Flagged or not"],
          ["yes", "Flagged only"],
          ["no", "Not flagged"],
        ]}
      />
      <div>
        <label htmlFor="account">Account</label>
        <input id="account" name="account" type="text" defaultValue={f.account ?? ""} placeholder="id or name" />
      </div>
      <Select
        id="age"
        label="Age"
        value={f.olderThanDays ? String(f.olderThanDays) : ""}
        options={[["", "Any age"], ...AGE_CHOICES.map((d): [string, string] => [String(d), `Older than ${d} d`])]}
      />
      <div>
        <button type="submit">Apply filters</button> <a href="/review?state=all">Clear</a>
      </div>
    </form>
  );
}

function BulkResults(props: { results: BulkResult[] | undefined }) {
  const results = props.results;
  const approved = results?.filter((r) => r.outcome === "approved").length ?? 0;
  return (
    <div role="status" aria-live="polite">
      {results ? (
        <div className="status" id="bulk-results">
          <strong>
            Bulk approval: {approved} of {results.length} approved.
          </strong>
          <ul>
            {results.map((result) => (
              <li key={result.id} data-outcome={result.outcome}>
                <a href={`/review/recaps/${result.id}`}>{result.label}</a>: {result.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** "Recaps 51–100 of 230, newest first", counted under the same filters as the tabs. */
function pageCaption(props: QueuePageProps): string {
  const total = props.filter.state ? (props.counts.byState.get(props.filter.state) ?? 0) : props.counts.total;
  if (props.rows.length === 0) return `No recaps on page ${props.page} (${total} in all)`;
  const first = (props.page - 1) * props.pageSize + 1;
  const last = first + props.rows.length - 1;
  return `Recaps ${first}–${last} of ${total}, newest first`;
}

/** Previous and next keep every filter: the links are the filter's query plus the page. */
function Pager(props: QueuePageProps) {
  if (props.page === 1 && !props.hasNext) return null;
  const href = (page: number) => `/review?${filterQuery(props.filter)}${page > 1 ? `&page=${page}` : ""}`;
  return (
    <nav className="pager" aria-label="Queue pages">
      {props.page > 1 ? (
        <a href={href(props.page - 1)} rel="prev">
          ← Previous {props.pageSize}
        </a>
      ) : null}
      <span className="muted">Page {props.page}</span>
      {props.hasNext ? (
        <a href={href(props.page + 1)} rel="next">
          Next {props.pageSize} →
        </a>
      ) : null}
    </nav>
  );
}

function QueueTable(props: QueuePageProps) {
  const clean = props.rows.filter(isCleanDraft).length;
  return (
    <form method="post" action="/review/bulk-approve">
      <input type="hidden" name="_csrf" value={props.session.csrfToken} />
      <input
        type="hidden"
        name="return"
        value={`${filterQuery(props.filter)}${props.page > 1 ? `&page=${props.page}` : ""}`}
      />
      <table className="stack compact" data-queue="">
        <caption>{pageCaption(props)}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Select for bulk approval</span>
              <input type="checkbox" id="select-all" hidden aria-label="Select all clean drafts" />
            </th>
            <th scope="col">Account</th>
            <th scope="col">Period</th>
            <th scope="col">Locale</th>
            <th scope="col">Variant</th>
            <th scope="col">Flagged</th>
            <th scope="col">Age</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <td>
                {isCleanDraft(row) ? (
                  <input
                    type="checkbox"
                    name="approve"
                    value={`${row.id}:${row.version}`}
                    data-bulk=""
                    aria-label={`Select ${row.accountName}, ${row.period} for bulk approval`}
                  />
                ) : (
                  <span className="muted" title="Only unflagged drafts with a clean fact-check can be bulk approved">
                    —
                  </span>
                )}
              </td>
              <th scope="row">
                <a href={`/review/recaps/${row.id}`}>{row.accountName}</a>
                <div className="hint">{row.accountExternalId}</div>
              </th>
              <td data-label="Period">
                {row.period}
                {row.kind === "milestone" ? <div className="hint">milestone</div> : null}
                {row.kind === "annual" ? (
                  <div className="hint">
                    {recapPeriod(row).yearToDate ? "year in review, so far" : "year in review"}
                  </div>
                ) : null}
              </td>
              <td data-label="Locale">{row.locale}</td>
              <td data-label="Variant">{row.variant}</td>
              <td data-label="Flagged">{row.flagged ? <FlaggedBadge /> : <span className="muted">no</span>}</td>
              <td data-label="Age">
                <time dateTime={row.createdAt.toISOString()}>{formatAge(row.createdAt, props.now)}</time>
              </td>
              <td data-label="State">
                <StateBadge state={row.state} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 ? <p className="muted">No recaps match these filters.</p> : null}
      <Pager {...props} />
      <p>
        <button type="submit" disabled={clean === 0}>
          Approve selected clean drafts
        </button>{" "}
        <span className="hint">
          {clean} clean draft{clean === 1 ? "" : "s"} on this page: unflagged, every number matches a fact.
        </span>
      </p>
    </form>
  );
}

/** Shown by the script only (the shortcuts need it); the switch is remembered in this browser. */
function KeyboardShortcuts() {
  return (
    <div className="hint shortcuts" data-shortcuts="" hidden>
      <label htmlFor="shortcuts-on">
        <input type="checkbox" id="shortcuts-on" /> Keyboard shortcuts
      </label>{" "}
      <kbd>j</kbd>/<kbd>k</kbd> next/previous recap, <kbd>o</kbd> open it, <kbd>a</kbd> approve it if it is a clean
      draft.
      <span id="shortcut-status" role="status" aria-live="polite" />
    </div>
  );
}

export function QueuePage(props: QueuePageProps) {
  return (
    <ReviewShell session={props.session} tenantName={props.tenantName} title="Review queue">
      <h1>Review queue</h1>
      {props.error ? <ErrorAlert title="Nothing was approved.">{` ${props.error}`}</ErrorAlert> : null}
      <BulkResults results={props.bulkResults} />
      <KeyboardShortcuts />
      <StateTabs filter={props.filter} counts={props.counts} />
      <Filters filter={props.filter} />
      <QueueTable {...props} />
    </ReviewShell>
  );
}
