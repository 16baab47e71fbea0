import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import uPlot from "uplot";

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
  /** Which of the chart's two y axes (left 0, right 1). */
  axis?: 0 | 1;
  format?: (v: number) => string;
}

/**
 * A uPlot chart (canvas, ~50 KB; loaded only with the pages that chart). `labels` name the x points:
 * dates for a time line, model or key names for bars. The figure is described for screen readers
 * by `summary`; the page's table holds the same numbers.
 */
export function Chart({
  labels,
  series,
  bars = false,
  summary,
  xLabel,
  height = 240,
}: {
  xLabel: string;
  labels: string[];
  series: ChartSeries[];
  bars?: boolean;
  summary: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const rtl = document.documentElement.dir === "rtl";
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      scales: { x: { time: false, dir: rtl ? -1 : 1 }, y0: {}, y1: {} },
      legend: { show: true },
      cursor: { show: true },
      axes: [
        {
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (labels[i] ?? "") : "")),
          // Whole steps only: one tick per point where it fits, else every 2nd, 7th, 30th...
          incrs: [1, 2, 3, 5, 7, 10, 14, 30, 60, 90, 180, 365],
        },
        {
          scale: "y0",
          values: (_u, splits) =>
            splits.map((v) => series.find((s) => (s.axis ?? 0) === 0)?.format?.(v) ?? String(v)),
        },
        {
          scale: "y1",
          side: rtl ? 3 : 1,
          grid: { show: false },
          values: (_u, splits) =>
            splits.map((v) => series.find((s) => s.axis === 1)?.format?.(v) ?? String(v)),
        },
      ],
      series: [
        { label: xLabel, value: (_u, i) => (i === null ? "" : (labels[i] ?? "")) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: bars ? s.color : undefined,
          width: 2,
          scale: `y${s.axis ?? 0}`,
          paths: bars ? uPlot.paths.bars?.({ size: [0.6, 80] }) : undefined,
          value: (_u: uPlot, v: number | null) => (v === null ? "" : (s.format?.(v) ?? String(v))),
          points: { show: !bars && labels.length < 40 },
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [labels, series, bars, height, xLabel]);
  return <div ref={box} className="chart" role="img" aria-label={summary} />;
}
