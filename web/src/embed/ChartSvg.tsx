import type { EChartsOption } from 'echarts';
import { hydrate } from 'echarts/ssr/client/index';
import { useEffect, useRef, useState } from 'react';
import { tooltipFor, type TooltipContent } from './chart-tooltip.ts';

/** How long the frame must keep a size before the chart is drawn again for it (a drag resizes it many times). */
const RESIZE_SETTLE_MS = 150;
/** The smallest box the edge draws for (`chartSvgQuery`). */
const MIN_WIDTH = 80;
const MIN_HEIGHT = 60;

export interface ChartSvgProps {
  /** The chart's SVG for a box and theme: `/api/v1/embed/widgets/:id/chart.svg?…` with the page's filters. */
  load: (size: { width: number; height: number }, signal: AbortSignal) => Promise<string>;
  /** Changes when the rows change (the answer's `as_of`): the chart is drawn again. */
  version: string;
  /** The option the edge draws (`chartOption`), read for the hovered point's tooltip. */
  option: EChartsOption;
  onRendered?: (() => void) | undefined;
  onError: (error: unknown) => void;
}

interface Tip extends TooltipContent {
  /** Beside the pointer, on the side of the frame with more room. */
  position: { top: number; left: number } | { top: number; right: number };
}

/**
 * An embedded chart as the edge drew it: ECharts' server-side SVG for this frame's size and theme, fetched again when
 * the frame settles on a new size or the rows change, so the page ships no chart library. Hover emphasis is the SVG's
 * own CSS; the tooltip comes from the points' `ecmeta_*` indexes (ECharts' SSR client runtime) and the option.
 */
export function ChartSvg({ load, version, option, onRendered, onError }: ChartSvgProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [svg, setSvg] = useState<string | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  // The latest callbacks and option, so a parent render (a renewed token) neither refetches nor re-hydrates.
  const latest = useRef({ load, option, onRendered, onError });
  latest.current = { load, option, onRendered, onError };

  useEffect(() => {
    const element = box.current!;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const measure = () =>
      setSize({
        width: Math.max(MIN_WIDTH, Math.round(element.clientWidth)),
        height: Math.max(MIN_HEIGHT, Math.round(element.clientHeight)),
      });
    measure();
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(measure, RESIZE_SETTLE_MS);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, []);

  const width = size?.width;
  const height = size?.height;
  useEffect(() => {
    if (width === undefined || height === undefined) return;
    const abort = new AbortController();
    latest.current
      .load({ width, height }, abort.signal)
      .then((text) => {
        setTip(null);
        setSvg(text);
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) latest.current.onError(error);
      });
    return () => abort.abort();
  }, [width, height, version]);

  useEffect(() => {
    if (svg === null) return;
    const element = box.current!;
    const beside = (event: MouseEvent): Tip['position'] => {
      const frame = element.getBoundingClientRect();
      const [x, top] = [event.clientX - frame.left, event.clientY - frame.top + 12];
      return x > frame.width / 2 ? { top, right: frame.width - x + 12 } : { top, left: x + 12 };
    };
    hydrate(element, {
      on: {
        mouseover: ({ ssrType, seriesIndex, dataIndex, event }) => {
          if (ssrType !== 'chart' || seriesIndex === undefined || dataIndex === undefined) return;
          const content = tooltipFor(latest.current.option, seriesIndex, dataIndex);
          if (content) setTip({ ...content, position: beside(event as MouseEvent) });
        },
        mouseout: () => setTip(null),
      },
    });
    latest.current.onRendered?.();
  }, [svg]);

  return (
    <div ref={box} className="relative h-full w-full" data-testid="chart-svg">
      {svg !== null ? (
        // The edge's SVG: ECharts escapes every text it draws, and the page's CSP runs no inline script.
        <div className="chart-svg h-full w-full" dangerouslySetInnerHTML={{ __html: svg }} />
      ) : null}
      {tip ? (
        <div
          role="tooltip"
          data-testid="chart-tooltip"
          className="pointer-events-none absolute z-10 rounded border border-slate-200 bg-white px-2 py-1 text-xs whitespace-nowrap text-slate-800 shadow-md dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
          style={tip.position}
        >
          <div className="font-medium">{tip.title}</div>
          {tip.lines.map((line) => (
            <div key={line} className="tabular-nums">
              {line}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
