import { kpiLabel, kpiText, kpiTrend, type ChartData } from '@flowforge/edge/charts';

const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 32;

/** The values as an SVG polyline scaled to the box; a flat line when every value is equal. */
export function sparklinePoints(
  values: readonly number[],
  width = SPARK_WIDTH,
  height = SPARK_HEIGHT,
): string {
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const y = span === 0 ? height / 2 : height - ((v - min) / span) * height;
      return `${(i * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** A KPI card: the headline value, and with a trend column its change from the previous period and a sparkline. */
export function KpiTile({ config, data }: { config: Record<string, unknown>; data: ChartData }) {
  const label = kpiLabel(config, data);
  const trend = kpiTrend(config, data);
  const tone =
    !trend || trend.delta === 0 ? 'text-slate-500' : trend.delta > 0 ? 'text-emerald-700' : 'text-red-700';
  return (
    <div className="@container flex h-full flex-col items-center justify-center gap-1 p-4" data-testid="kpi">
      {/* Shrinks with the tile (≈ 20 digits fit), so a currency total never runs past a narrow widget's edge. */}
      <span className="text-[clamp(1rem,8cqi,2.25rem)] font-bold tabular-nums" data-testid="kpi-value">
        {kpiText(config, data)}
      </span>
      {label ? <span className="text-sm text-slate-500">{label}</span> : null}
      {trend ? (
        <>
          <span
            className={`text-sm font-medium tabular-nums ${tone}`}
            data-testid="kpi-delta"
            title={`${trend.latest} vs ${trend.previous}`}
          >
            {trend.deltaText}
            <span className="font-normal text-slate-500"> vs previous period</span>
          </span>
          {trend.points.length > 1 ? (
            <svg
              width={SPARK_WIDTH}
              height={SPARK_HEIGHT}
              viewBox={`-1 -1 ${SPARK_WIDTH + 2} ${SPARK_HEIGHT + 2}`}
              role="img"
              aria-label={`Trend over the last ${trend.points.length} periods`}
              data-testid="kpi-sparkline"
            >
              <polyline
                points={sparklinePoints(trend.points)}
                fill="none"
                stroke="currentColor"
                strokeWidth={1.5}
                className="text-sky-600"
              />
            </svg>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
