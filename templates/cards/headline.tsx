import { fitSize, lineCount } from "../fit.js";
import type { Measure, RecapModel } from "../model.js";
import { clamp, oneLine } from "./parts.js";

export type TitleFit = { size: number; lines: number; whole: boolean };

/**
 * The title's size and line count: the largest size from `max` down to `min` at which it fits
 * `lines` lines. A title longer than that (a German archetype tagline in variant B, a subheadline
 * of 120 characters) takes up to `spill` lines at `min` instead of ending in an ellipsis; `whole`
 * is false only when even those cut it.
 */
export function titleFit(
  measure: Measure,
  title: string,
  options: { width: number; max: number; min: number; lines: number; spill?: number | undefined },
): TitleFit {
  const size = fitSize(measure, title, { weight: 800, ...options });
  const needed = lineCount(measure, title, 800, size, options.width);
  const lines = Math.max(options.lines, Math.min(needed, options.spill ?? options.lines));
  return { size, lines, whole: needed <= lines };
}

/**
 * The account name over the headline. The headline gets the largest size at which it fits `lines`
 * lines; a headline too long even at `min` ends in an ellipsis on the last line, never overflows.
 * The account name is one line at most, shrunk a little and then cut with an ellipsis. (No
 * `textWrap: balance`: satori 0.63 balances text with no-break spaces into too many lines.)
 */
export function HeadlineBlock({
  model,
  measure,
  width,
  max,
  min,
  lines,
  account,
  sub,
  spill,
}: {
  model: RecapModel;
  measure: Measure;
  width: number;
  max: number;
  min: number;
  lines: number;
  /** Largest size of the account name. */
  account: number;
  /** Size of the subheadline under the headline; left out when not given, or when the headline needs all its lines. */
  sub?: number;
  /** Lines a title too long for `lines` at `min` may take before it is cut (see titleFit). */
  spill?: number;
}) {
  const fit = titleFit(measure, model.title, { width, max, min, lines, spill });
  const size = fit.size;
  const needed = lineCount(measure, model.title, 800, size, width);
  const accountSize = fitSize(measure, model.account, {
    weight: 600,
    max: account,
    min: account * 0.75,
    width,
    lines: 1,
  });
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: account * 0.45, width }}>
      {model.titleAccountLine ? (
        <span style={{ ...oneLine, fontSize: accountSize, fontWeight: 600, color: model.colours.primary }}>
          {model.account}
        </span>
      ) : null}
      <span
        style={{
          ...clamp(fit.lines),
          fontSize: size,
          fontWeight: 800,
          lineHeight: 1.1,
          letterSpacing: -size * 0.02,
          color: model.colours.ink,
          // Room inside the clip for "Å", "Ä" and "Š" above the first line and descenders under the last.
          paddingTop: size * 0.12,
          paddingBottom: size * 0.1,
        }}
      >
        {model.title}
      </span>
      {sub && needed < lines && model.title !== model.subheadline ? (
        <span style={{ ...clamp(2), fontSize: sub, lineHeight: 1.4, color: model.colours.muted, marginTop: sub * 0.2 }}>
          {model.subheadline}
        </span>
      ) : null}
    </div>
  );
}
