import { describe, expect, it } from 'vitest';

import type { TrendPoint } from '../api';
import { axisLabel, buildChart, niceScale, polyline } from './chart';

function point(exercise: string, date: string, measure: TrendPoint['measure'], minutes: number) {
  return { exercise, date, measure, seconds: BigInt(minutes * 60) };
}

describe('niceScale', () => {
  it('rounds the top up to a whole number of round steps', () => {
    expect(niceScale(0)).toEqual({ step: 1, top: 1 });
    expect(niceScale(3)).toEqual({ step: 1, top: 3 });
    expect(niceScale(17)).toEqual({ step: 5, top: 20 });
    expect(niceScale(42)).toEqual({ step: 15, top: 45 });
    expect(niceScale(100)).toEqual({ step: 30, top: 120 });
    expect(niceScale(300)).toEqual({ step: 120, top: 360 });
    expect(niceScale(20_000)).toEqual({ step: 5760, top: 23_040 });
  });
});

describe('axisLabel', () => {
  it('words minutes, hours and days', () => {
    expect(axisLabel(0)).toBe('0 min');
    expect(axisLabel(45)).toBe('45 min');
    expect(axisLabel(120)).toBe('2 h');
    expect(axisLabel(90)).toBe('1 h 30 min');
    expect(axisLabel(2880)).toBe('2 d');
  });
});

describe('buildChart', () => {
  it('draws nothing without points', () => {
    expect(buildChart([])).toBeUndefined();
  });

  it('spreads the exercises oldest first and scales minutes from zero', () => {
    const chart = buildChart(
      [
        point('EX-3', '2026-02-01', 'escalation', 10),
        point('EX-1', '2025-06-01', 'escalation', 30),
        point('EX-1', '2025-06-01', 'mitigated', 40),
        point('EX-2', '2025-11-01', 'escalation', 20),
      ],
      { width: 400, height: 200 },
    )!;
    expect(chart.plot).toEqual({ left: 56, top: 12, right: 384, bottom: 156 });
    expect(chart.columns.map((c) => [c.exercise, c.x])).toEqual([
      ['EX-1', 56],
      ['EX-2', 220],
      ['EX-3', 384],
    ]);
    expect(chart.top).toBe(40);
    expect(chart.ticks.map((t) => [t.minutes, t.y])).toEqual([
      [0, 156],
      [10, 120],
      [20, 84],
      [30, 48],
      [40, 12],
    ]);
    expect(chart.series.map((s) => [s.measure, s.index, s.points.length])).toEqual([
      ['escalation', 0, 3],
      ['mitigated', 3, 1],
    ]);
    const escalation = chart.series[0]!;
    expect(escalation.label).toBe('Everyone told on detection');
    expect(polyline(escalation.points)).toBe('56,48 220,84 384,120');
    expect(chart.series[1]?.points[0]).toMatchObject({ x: 56, y: 12, minutes: 40 });
  });

  it('centres a single exercise', () => {
    const chart = buildChart([point('EX-1', '2025-06-01', 'resolved', 90)], {
      width: 400,
      height: 200,
    })!;
    expect(chart.columns[0]?.x).toBe(220);
    expect(chart.top).toBe(90);
  });
});
