// The readiness trend chart's geometry: one line per measure across the held exercises, oldest
// on the left, minutes up the side on a round scale from zero. No DOM here, so the scaling is
// tested directly.
import type { Measure, TrendPoint } from '../api';
import { MEASURES, measureLabel } from '../exercise';

export type ChartSize = { width: number; height: number };

export type Plot = { left: number; top: number; right: number; bottom: number };

export type ChartPoint = {
  x: number;
  y: number;
  exercise: string;
  date: string;
  minutes: number;
};

export type Series = {
  measure: Measure;
  label: string;
  /** Its place in `MEASURES`, for its colour. */
  index: number;
  points: ChartPoint[];
};

export type Chart = {
  size: ChartSize;
  plot: Plot;
  /** The exercises along the bottom, oldest first. */
  columns: { exercise: string; date: string; x: number }[];
  /** Gridlines and their labels, from 0 up to `top`. */
  ticks: { minutes: number; y: number }[];
  /** The scale's top, in minutes. */
  top: number;
  series: Series[];
};

export const CHART_SIZE: ChartSize = { width: 640, height: 260 };
const MARGIN = { left: 56, right: 16, top: 12, bottom: 44 };

/** Steps (minutes) a scale may use; past a day, whole days. */
const STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];

/** A round scale for values up to `max` minutes, with about `count` steps: step and top. */
export function niceScale(max: number, count = 4): { step: number; top: number } {
  const highest = Number.isFinite(max) && max > 0 ? max : 1;
  const wanted = highest / count;
  const step = STEPS.find((s) => s >= wanted) ?? Math.ceil(wanted / 1440) * 1440;
  return { step, top: Math.max(step, Math.ceil(highest / step) * step) };
}

/** "15 min", "2 h", "1 h 30 min", "1 d": an axis label. */
export function axisLabel(minutes: number): string {
  if (minutes < 60) {
    return `${minutes} min`;
  }
  if (minutes % 1440 === 0) {
    return `${minutes / 1440} d`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The chart for `trend`; undefined when there is nothing to draw. */
export function buildChart(
  trend: readonly TrendPoint[],
  size: ChartSize = CHART_SIZE,
): Chart | undefined {
  if (trend.length === 0) {
    return undefined;
  }
  const plot: Plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: size.width - MARGIN.right,
    bottom: size.height - MARGIN.bottom,
  };
  // The exercises in the order held (the backend sends them oldest first; sort to be sure).
  const byExercise = new Map<string, string>();
  for (const point of trend) {
    byExercise.set(point.exercise, point.date);
  }
  const order = [...byExercise.entries()].sort(
    ([a, da], [b, db]) => da.localeCompare(db) || idNumber(a) - idNumber(b),
  );
  const width = plot.right - plot.left;
  const xOf = (i: number) =>
    order.length === 1 ? plot.left + width / 2 : plot.left + (width * i) / (order.length - 1);
  const columns = order.map(([exercise, date], i) => ({ exercise, date, x: xOf(i) }));
  const column = new Map(columns.map((c) => [c.exercise, c]));

  const minutes = trend.map((p) => Number(p.seconds) / 60);
  const { step, top } = niceScale(Math.max(...minutes));
  const yOf = (m: number) => plot.bottom - ((plot.bottom - plot.top) * m) / top;
  const ticks: { minutes: number; y: number }[] = [];
  for (let m = 0; m <= top; m += step) {
    ticks.push({ minutes: m, y: yOf(m) });
  }

  const series: Series[] = [];
  MEASURES.forEach((measure, index) => {
    const points = trend
      .filter((p) => p.measure === measure)
      .map((p) => {
        const at = column.get(p.exercise);
        const m = Number(p.seconds) / 60;
        return {
          x: at?.x ?? plot.left,
          y: yOf(m),
          exercise: p.exercise,
          date: p.date,
          minutes: Math.round(m * 10) / 10,
        };
      })
      .sort((a, b) => a.x - b.x);
    if (points.length > 0) {
      series.push({ measure, label: measureLabel(measure), index, points });
    }
  });
  return { size, plot, columns, ticks, top, series };
}

function idNumber(id: string): number {
  return Number(/(\d+)$/.exec(id)?.[1] ?? 0);
}

/** The `points` attribute of a series' polyline. */
export function polyline(points: readonly ChartPoint[]): string {
  return points.map((p) => `${round(p.x)},${round(p.y)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
