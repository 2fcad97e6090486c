import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { useEffect, useRef } from 'react';

// What every FlowForge chart uses; each chart type's series and extra components come from `echarts/kinds.ts`, loaded
// before the chart mounts (the full ECharts build would triple the chart code).
echarts.use([GridComponent, TooltipComponent, CanvasRenderer]);

/**
 * The ECharts canvas, filling its container and redrawn when the container resizes. One instance per mount (per
 * theme), drawn as soon as it exists: a wrapper that first draws an empty chart to measure its box cost a dashboard
 * ~300 ms per chart before the first frame with data.
 */
export function EChart({
  option,
  theme,
  onRendered,
}: {
  option: EChartsOption;
  theme: 'light' | 'dark';
  onRendered?: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // The latest callback, so a new closure on every parent render does not redraw the chart.
  const rendered = useRef(onRendered);
  rendered.current = onRendered;

  useEffect(() => {
    const instance = echarts.init(box.current!, theme, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme]);

  // Callers build a new option object on every render: redraw only when what it says changed.
  const drawn = JSON.stringify(option);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    const instance = chart.current!;
    // The container paints the background, so both palettes sit on the page's (or the embed's) own colour.
    instance.setOption({ backgroundColor: 'transparent', ...latest.current }, { notMerge: true });
    // A non-lazy setOption has drawn the frame by now.
    rendered.current?.();
  }, [drawn, theme]);

  return <div ref={box} style={{ height: '100%', width: '100%' }} />;
}
