import { validationFailed } from "../platform/errors.js";
import { parseQuarter, parseYear } from "../usage/period.js";
import type { GenerateRecapInput } from "./recap-input.js";

/** As for quarters: a recap further back than this is refused. */
const MAX_YEARS_BACK = 5;

/**
 * The year of an annual recap request ("2026", or by default the year so far, or last year while
 * the first quarter runs, when this year has too little to show), or undefined for any other
 * kind. A year with another kind, or a quarter with `kind: "annual"`, is refused by name.
 */
export function annualRequestYear(
  input: Pick<GenerateRecapInput, "kind" | "period">,
  now: Date,
  currentYear: number,
): number | undefined {
  const year = input.period === undefined ? undefined : parseYear(input.period);
  if (input.kind !== "annual") {
    if (year !== undefined)
      throw validationFailed([
        { path: "period", message: `is a year: a year in review takes kind "annual" (or send a quarter, ${year}-Q4)` },
      ]);
    return undefined;
  }
  if (input.period !== undefined && parseQuarter(input.period))
    throw validationFailed([
      { path: "period", message: `is a quarter: an annual recap covers a year, such as "${input.period.slice(0, 4)}"` },
    ]);
  const chosen = year ?? (now.getUTCMonth() < 3 ? currentYear - 1 : currentYear);
  if (chosen > currentYear) throw validationFailed([{ path: "period", message: "is in the future" }]);
  if (chosen < currentYear - MAX_YEARS_BACK)
    throw validationFailed([{ path: "period", message: `is more than ${MAX_YEARS_BACK} years ago` }]);
  return chosen;
}
