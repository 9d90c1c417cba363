import { validationFailed } from "../platform/errors.js";
import type { TrailingWindow } from "../usage/period.js";
import { parsePeriodLabel, periodRanges } from "../usage/period-label.js";
import type { GenerateRecapInput } from "./recap-input.js";

/** As for quarters and years: a recap further back than this is refused. */
const MAX_YEARS_BACK = 5;
const YEAR_MS = 365.2425 * 86_400_000;

/**
 * The trailing window of a milestone recap request ("P90D/2026-10-02", "2026-09-14/2026-10-02"),
 * or undefined for any other period. A window is a milestone's period: with another kind it is
 * refused by name, as a year without `kind: "annual"` is.
 */
export function windowRequest(
  input: Pick<GenerateRecapInput, "kind" | "period">,
  now: Date,
  timeZone: string,
): TrailingWindow | undefined {
  if (input.period === undefined) return undefined;
  const parsed = parsePeriodLabel(input.period);
  if (!("period" in parsed) || (parsed.period.kind !== "window" && parsed.period.kind !== "since")) return undefined;
  if (input.kind !== "milestone")
    throw validationFailed([{ path: "period", message: 'is a trailing window: it takes kind "milestone"' }]);
  const resolved = periodRanges(parsed.period, timeZone, now);
  if ("problem" in resolved) throw validationFailed([{ path: "period", message: resolved.problem }]);
  if (resolved.ranges.period.end.getTime() < now.getTime() - MAX_YEARS_BACK * YEAR_MS)
    throw validationFailed([{ path: "period", message: `is more than ${MAX_YEARS_BACK} years ago` }]);
  return resolved.ranges;
}
