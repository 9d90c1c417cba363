import { and, eq } from "drizzle-orm";
import type { Deps } from "../deps.js";
import { chooseVariant } from "../drafting/variant.js";
import { chooseLocale } from "../i18n/choose-locale.js";
import type { SupportedLocale } from "../i18n/locales.js";
import { AppError, conflict, validationFailed } from "../platform/errors.js";
import type { Tenant } from "../platform/tenancy/tenants.js";
import { cleanName } from "../platform/text/clean-name.js";
import { describeCharacters, undrawableCharacters } from "../rendering/drawable-text.js";
import type { Account } from "../usage/accounts.js";
import { getAccountByExternalId } from "../usage/accounts.js";
import {
  computeDigest,
  type DigestPeriod,
  type InlineMetric,
  loadDigestMetrics,
  type PeerCache,
} from "../usage/compute-digest.js";
import type { Digest, DigestMetric } from "../usage/digest.types.js";
import {
  lastFullQuarter,
  parseQuarter,
  type Quarter,
  quarterContaining,
  quarterLabel,
  quarterRange,
  type TrailingWindow,
  yearContaining,
} from "../usage/period.js";
import { annualRequestYear } from "./annual-request.js";
import type { GenerateRecapInput } from "./recap-input.js";
import type { Recap } from "./recaps.js";
import { type RecapKind, type RecapOrigin, recaps } from "./recaps.schema.js";
import { windowRequest } from "./window-request.js";

export const RECAP_DRAFT_JOB = "recap.draft";
/** Re-drafts an approved recap's copy without the numbers the end customer hid. */
export const RECAP_HIDDEN_REDRAFT_JOB = "recap.hidden-redraft";

export type CreateRecapResult =
  | { status: "created"; recap: Recap }
  | { status: "insufficient_data"; digest: Extract<Digest, { status: "insufficient_data" }> }
  | { status: "exists"; recapId: string };

/**
 * Computes the digest and stores the recap in `drafting` with its draft job, in one transaction.
 * Shared by the API, the quarterly schedule and value-moment triggers.
 */
export async function createRecap(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock">,
  input: {
    tenant: Tenant;
    account: Account;
    /** A milestone's trailing window: the recap covers it instead of the quarter. */
    window?: TrailingWindow;
    kind: RecapKind;
    locale: SupportedLocale;
    origin: RecapOrigin;
    inline?: InlineMetric[];
    /** A batch (the quarterly close) reads the value model once and shares peer groups. */
    metrics?: DigestMetric[];
    peerCache?: PeerCache;
    /** The draft job's queue priority (see EnqueueOptions): 0, unless a batch sets it lower. */
    priority?: number;
    /**
     * The caller already knows the account has no recap of this period (the schedule reads them
     * all in one query): skip the per-account look-up. The unique index still settles a race.
     */
    knownAbsent?: boolean;
  } & ({ quarter: Quarter; year?: undefined } | { year: number; quarter?: undefined }),
): Promise<CreateRecapResult> {
  // A year in review ("2026") runs to this moment while the year does; a milestone covers its window.
  const span: DigestPeriod =
    input.year === undefined
      ? { quarter: input.quarter, window: input.window }
      : { year: input.year, now: deps.clock.now() };
  const period =
    input.year === undefined ? (input.window?.period.label ?? quarterLabel(input.quarter)) : String(input.year);
  if ((input.kind === "quarterly" || input.kind === "annual") && !input.knownAbsent) {
    const existing = await findQuarterlyRecap(deps, input.tenant.id, input.account.id, period, input.kind);
    if (existing) return { status: "exists", recapId: existing };
  }
  const metrics = input.metrics ?? (await loadDigestMetrics(deps, input.tenant.id));
  if (metrics.length === 0) {
    throw conflict("The tenant has no value model yet: define metrics with PUT /v1/value-model/metrics/{key}.");
  }
  const { tenant, account, inline, peerCache, priority } = input;
  const digest = await computeDigest(deps, {
    tenant,
    account,
    ...(inline ? { inline } : {}),
    ...(peerCache ? { peerCache } : {}),
    ...span,
    metrics,
  });
  if (digest.status !== "ok") return { status: "insufficient_data", digest };

  return deps.db.transaction(async (tx) => {
    const [recap] = await tx
      .insert(recaps)
      .values(newRecapRow(deps, { ...input, period, digest }))
      .onConflictDoNothing()
      .returning();
    if (!recap) {
      // Another process created this quarter's recap between our check and our insert.
      const existing = await findQuarterlyRecap({ db: tx }, input.tenant.id, input.account.id, period, input.kind);
      return { status: "exists", recapId: existing ?? "" } as const;
    }
    await deps.queue.enqueue(
      RECAP_DRAFT_JOB,
      { recapId: recap.id, tenantId: recap.tenantId },
      { tx, ...(priority !== undefined ? { priority } : {}) },
    );
    return { status: "created", recap } as const;
  });
}

/** A new recap's row, in `drafting`: what createRecap and the close's batches insert. */
function newRecapRow(
  deps: Pick<Deps, "clock">,
  recap: {
    tenant: Tenant;
    account: Account;
    period: string;
    kind: RecapKind;
    locale: SupportedLocale;
    digest: Digest;
    origin: RecapOrigin;
  },
): typeof recaps.$inferInsert {
  return {
    tenantId: recap.tenant.id,
    accountId: recap.account.id,
    period: recap.period,
    kind: recap.kind,
    locale: recap.locale,
    variant: chooseVariant(recap.tenant.variantPolicy, recap.account.id),
    state: "drafting",
    digest: recap.digest,
    origin: recap.origin,
    // From the clock, not the database's now(): the loop's cohort is "generated in [from, to)".
    createdAt: deps.clock.now(),
    updatedAt: deps.clock.now(),
  };
}

/** One account's quarterly recap in a batch: the schedule's turn, with what the batch shares. */
export type BatchedRecapInput = {
  tenant: Tenant;
  account: Account;
  quarter: Quarter;
  locale: SupportedLocale;
  metrics: DigestMetric[];
  peerCache: PeerCache;
  /** The draft job's queue priority (see EnqueueOptions). */
  priority: number;
};

/**
 * The quarterly close's recaps, a batch at a time: each digest is computed as createRecap computes
 * it, then the batch's recaps and their draft jobs are inserted in one transaction, one statement
 * each, instead of a transaction per recap (at a close of 10,000 accounts, the round trips and
 * commits were a good part of the database's work). For accounts the caller already checked have
 * no recap of the quarter; one that has by now (another run, settled by the unique index) is
 * "exists". Returns each input's outcome, in order.
 */
export async function createQuarterlyRecaps(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock">,
  inputs: readonly BatchedRecapInput[],
): Promise<CreateRecapResult["status"][]> {
  const outcomes: CreateRecapResult["status"][] = inputs.map(() => "insufficient_data");
  const ready: { index: number; values: typeof recaps.$inferInsert; priority: number }[] = [];
  for (const [index, input] of inputs.entries()) {
    const { tenant, account, quarter, metrics, peerCache } = input;
    const digest = await computeDigest(deps, { tenant, account, quarter, metrics, peerCache });
    if (digest.status !== "ok") continue;
    ready.push({
      index,
      priority: input.priority,
      values: newRecapRow(deps, {
        tenant,
        account,
        period: quarterLabel(quarter),
        kind: "quarterly",
        locale: input.locale,
        digest,
        origin: { type: "schedule" },
      }),
    });
  }
  if (ready.length === 0) return outcomes;
  await deps.db.transaction(async (tx) => {
    const created = await tx
      .insert(recaps)
      .values(ready.map((entry) => entry.values))
      .onConflictDoNothing()
      .returning({ id: recaps.id, tenantId: recaps.tenantId, accountId: recaps.accountId });
    const createdFor = new Map(created.map((recap) => [`${recap.tenantId}|${recap.accountId}`, recap]));
    const jobs = [];
    for (const entry of ready) {
      const recap = createdFor.get(`${entry.values.tenantId}|${entry.values.accountId}`);
      outcomes[entry.index] = recap ? "created" : "exists";
      if (recap) jobs.push({ data: { recapId: recap.id, tenantId: recap.tenantId }, priority: entry.priority });
    }
    await deps.queue.enqueueMany(RECAP_DRAFT_JOB, jobs, { tx });
  });
  return outcomes;
}

/** The quarterly (or annual, with `kind`) recap of an account and period, if there is one. */
async function findQuarterlyRecap(
  deps: Pick<Deps, "db">,
  tenantId: string,
  accountId: string,
  period: string,
  kind: RecapKind = "quarterly",
) {
  const [row] = await deps.db
    .select({ id: recaps.id })
    .from(recaps)
    .where(
      and(
        eq(recaps.tenantId, tenantId),
        eq(recaps.accountId, accountId),
        eq(recaps.period, period),
        eq(recaps.kind, kind),
      ),
    );
  return row?.id;
}

/** The API's generate request: validates what only the data can tell, then creates the recap. */
export async function generateRecapFromRequest(
  deps: Pick<Deps, "db" | "sql" | "queue" | "clock">,
  tenant: Tenant,
  input: GenerateRecapInput,
): Promise<Recap> {
  const account = await getAccountByExternalId(deps.db, tenant.id, input.account).catch(() => {
    throw validationFailed([{ path: "account", message: `no account "${input.account}" in this tenant` }]);
  });
  // Names stored before the accounts API refused them would fail every render: refuse here too.
  for (const [field, name] of [
    ["account.name", account.name],
    ["brand.productName", tenant.brand.productName],
  ] as const) {
    const chars = undrawableCharacters(cleanName(name));
    if (chars.length > 0)
      throw new AppError(
        "undrawable_name",
        `The ${field === "account.name" ? "account's name" : "product name"} has characters the recap cards cannot draw: ${describeCharacters(chars)}. Change it, then generate the recap.`,
        { details: { field, characters: chars } },
      );
  }
  const now = deps.clock.now();
  // A milestone over a trailing window ("P90D/2026-10-02") is filed under the quarter it ends in.
  const window = windowRequest(input, now, account.timeZone);
  const year = window ? undefined : annualRequestYear(input, now, yearContaining(now, account.timeZone));
  const quarter = window
    ? quarterContaining(new Date(window.period.end.getTime() - 1), account.timeZone)
    : input.period
      ? (parseQuarter(input.period) ?? quarterContaining(now, account.timeZone))
      : lastFullQuarter(now, account.timeZone);
  const current = quarterContaining(now, account.timeZone);
  const range = quarterRange(quarter, account.timeZone);
  if (year === undefined && range.start > now)
    throw validationFailed([{ path: "period", message: "is in the future" }]);
  if (input.kind === "quarterly" && quarterLabel(quarter) === quarterLabel(current)) {
    throw validationFailed([
      { path: "period", message: "is not over yet; a quarterly recap covers a finished quarter" },
    ]);
  }
  if (quarter.year < now.getUTCFullYear() - 5)
    throw validationFailed([{ path: "period", message: "is more than 5 years ago" }]);
  const metrics = input.metrics ?? [];
  const locale = input.locale ?? chooseLocale(account, tenant);
  const known = new Set((await loadDigestMetrics(deps, tenant.id)).map((metric) => metric.key));
  const unknown = metrics.flatMap((metric, index) =>
    known.has(metric.key)
      ? []
      : [{ path: `metrics[${index}].key`, message: `"${metric.key}" is not in the value model` }],
  );
  if (unknown.length > 0) throw validationFailed(unknown);

  const result = await createRecap(deps, {
    tenant,
    account,
    ...(year === undefined ? { quarter, ...(window ? { window } : {}) } : { year }),
    kind: input.kind,
    locale,
    origin: { type: "api" },
    inline: metrics,
  });
  const label = window ? window.period.label : year === undefined ? quarterLabel(quarter) : String(year);
  if (result.status === "exists") {
    throw conflict(`A ${label} recap already exists for this account.`, { recapId: result.recapId });
  }
  if (result.status === "insufficient_data") {
    throw new AppError(
      "insufficient_data",
      `Not enough usage in ${label} for a recap worth sharing: ${result.digest.reasons.join("; ")}.`,
      { details: { reasons: result.digest.reasons, activity: result.digest.activity } },
    );
  }
  return result.recap;
}
