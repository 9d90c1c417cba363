/**
 * Server-rendered SVG charts: readable without JavaScript, each with a text alternative, and every
 * figure also printed as text (colour is never the only carrier of meaning).
 */

const INK = "#1f2a44";
const ACCENT = "#c2410c";
const MUTED = "#5b6478";
const LINE = "#d9dce3";

/** A stage and, where it is a rate people read ("83 % of published"), how it relates to an earlier stage. */
export type FunnelStep = { label: string; value: number; note?: string };

/** Horizontal bars, widest = the first stage; each bar says its count and its note. */
export function FunnelChart(props: { steps: FunnelStep[]; title: string }) {
  const width = 720;
  const labelWidth = 150;
  const barArea = width - labelWidth - 170;
  const rowHeight = 34;
  const max = Math.max(1, ...props.steps.map((step) => step.value));
  const height = props.steps.length * rowHeight + 8;
  const description = props.steps
    .map((step) => `${step.label} ${step.value}${step.note ? ` (${step.note})` : ""}`)
    .join(", ");
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${props.title}: ${description}`}>
      <title>{props.title}</title>
      {props.steps.map((step, index) => {
        const y = index * rowHeight + 4;
        const barWidth = Math.max(2, (step.value / max) * barArea);
        return (
          <g key={step.label}>
            <text x={labelWidth - 10} y={y + 20} textAnchor="end" fontSize="14" fill={INK}>
              {step.label}
            </text>
            <rect
              x={labelWidth}
              y={y + 4}
              width={barWidth}
              height={rowHeight - 10}
              rx="3"
              fill={index < 3 ? INK : ACCENT}
            />
            <text x={labelWidth + barWidth + 8} y={y + 20} fontSize="14" fill={INK} fontWeight="600">
              {step.value.toLocaleString("en-US")}
              {step.note ? <tspan fill={MUTED} fontWeight="400">{`  ${step.note}`}</tspan> : null}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** "83.3 % of published"; nothing when the base stage is empty. */
export function shareOf(value: number, base: number, baseLabel: string): string | undefined {
  if (base === 0) return undefined;
  return `${Math.round((value / base) * 1000) / 10} % of ${baseLabel}`;
}

export type TrendPoint = { label: string; value: number | null };

/** A small line chart over weeks; an optional reference line (the multiplier's 1). */
export function TrendChart(props: {
  title: string;
  points: TrendPoint[];
  format: (value: number) => string;
  reference?: { value: number; label: string };
}) {
  const width = 340;
  const height = 170;
  const left = 44;
  const right = 12;
  const top = 14;
  const bottom = 36;
  const values = props.points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const max = Math.max(props.reference?.value ?? 0, ...values, 0) * 1.15 || 1;
  const x = (index: number) =>
    left +
    (props.points.length <= 1
      ? (width - left - right) / 2
      : (index / (props.points.length - 1)) * (width - left - right));
  const y = (value: number) => top + (1 - value / max) * (height - top - bottom);
  const path = props.points
    .flatMap((point, index) => (point.value === null ? [] : [`${x(index).toFixed(1)},${y(point.value).toFixed(1)}`]))
    .join(" ");
  const description = props.points
    .map((point) => `${point.label}: ${point.value === null ? "no data" : props.format(point.value)}`)
    .join(", ");
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={`${props.title} by week: ${description || "no published recaps"}`}
    >
      <title>{props.title}</title>
      <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} stroke={LINE} />
      <text x={left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill={MUTED}>
        {props.format(0)}
      </text>
      <text x={left - 6} y={y(max / 1.15) + 4} textAnchor="end" fontSize="11" fill={MUTED}>
        {props.format(max / 1.15)}
      </text>
      {props.reference ? (
        <g>
          <line
            x1={left}
            x2={width - right}
            y1={y(props.reference.value)}
            y2={y(props.reference.value)}
            stroke={ACCENT}
            strokeDasharray="5 4"
          />
          <text x={width - right} y={y(props.reference.value) - 4} textAnchor="end" fontSize="11" fill={ACCENT}>
            {props.reference.label}
          </text>
        </g>
      ) : null}
      {path ? <polyline points={path} fill="none" stroke={INK} strokeWidth="2.5" /> : null}
      {props.points.map((point, index) =>
        point.value === null ? null : (
          <circle key={point.label} cx={x(index)} cy={y(point.value)} r="3.5" fill={INK}>
            <title>{`${point.label}: ${props.format(point.value)}`}</title>
          </circle>
        ),
      )}
      {props.points.map((point, index) =>
        index % Math.max(1, Math.ceil(props.points.length / 6)) === 0 ? (
          <text key={`l-${point.label}`} x={x(index)} y={height - 14} textAnchor="middle" fontSize="11" fill={MUTED}>
            {point.label.slice(5)}
          </text>
        ) : null,
      )}
      {values.length === 0 ? (
        <text x={width / 2} y={height / 2} textAnchor="middle" fontSize="13" fill={MUTED}>
          No published recaps yet
        </text>
      ) : null}
    </svg>
  );
}

/** Two bars side by side: the variants' loop conversion rates. */
export function VariantBars(props: { a: number | null; b: number | null; title: string }) {
  const width = 340;
  const height = 150;
  const bars = [
    { label: "A · rational", value: props.a },
    { label: "B · pride", value: props.b },
  ];
  const description = bars.map((bar) => `${bar.label} ${formatRate(bar.value)}`).join(", ");
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${props.title}: ${description}`}>
      <title>{props.title}</title>
      {bars.map((bar, index) => {
        const barHeight = (bar.value ?? 0) * 100;
        const x = 60 + index * 130;
        return (
          <g key={bar.label}>
            <rect
              x={x}
              y={115 - barHeight}
              width="80"
              height={Math.max(1, barHeight)}
              rx="3"
              fill={index === 0 ? INK : ACCENT}
            />
            <text x={x + 40} y={108 - barHeight} textAnchor="middle" fontSize="14" fontWeight="600" fill={INK}>
              {formatRate(bar.value)}
            </text>
            <text x={x + 40} y={135} textAnchor="middle" fontSize="12" fill={MUTED}>
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export const formatRate = (value: number | null) => (value === null ? "–" : `${Math.round(value * 1000) / 10} %`);

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/**
 * A duration given in hours, in its natural unit: minutes under an hour, hours under two days, days
 * beyond. A loop that closes in two minutes must not read "0 h".
 */
export function formatDuration(hours: number | null): string {
  if (hours === null) return "–";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${oneDecimal(hours)} h`;
  return `${oneDecimal(hours / 24)} days`;
}

/** A 95 % interval of a rate, "30 – 90.3 %"; "–" without data. */
export const formatRateInterval = (interval: { low: number; high: number } | null) =>
  interval === null ? "–" : `${oneDecimal(interval.low * 100)} – ${oneDecimal(interval.high * 100)} %`;
