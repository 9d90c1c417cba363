import { seedDemoUsage as seedFullDemoUsage } from "../../src/demo/demo-usage.js";
import type { Deps } from "../../src/deps.js";
import type { SupportedLocale } from "../../src/i18n/locales.js";

/**
 * The share of the demo's automation runs the tests seed. The demo's 145,000 events made seeding the
 * largest single cost of the suite; at a quarter of the runs the same 30 accounts are active on the
 * same days with the same ranking, every recap passes the data gate and shows its peer rank, and a
 * seed stores about a third of the rows.
 */
const TEST_RUNS_PER_DAY = 0.25;

/** The demo tenant's value model and usage (see src/demo/demo-usage.ts), at the tests' volume. */
export function seedDemoUsage(
  deps: Deps,
  tenantId: string,
  languages: Record<string, { locale: SupportedLocale; timeZone: string }> = {},
): Promise<void> {
  return seedFullDemoUsage(deps, tenantId, languages, TEST_RUNS_PER_DAY);
}
