// Where a launch's time goes, for the launch benchmark (scripts/bench-app.py): the page notes
// when its script ran, when the plan and the banners' answers came and when the first page was
// drawn (`performance.mark`), and `markPainted` hands them to the backend with the paint mark.
// Noting costs nothing measurable; without the benchmark's environment nothing is written.

/** The name of a launch mark, e.g. `plan` for "the plan came". */
export type LaunchMark = 'script' | 'plan' | 'startup' | 'drawn' | 'frame' | 'painted';

const PREFIX = 'muster:';

/** Notes `mark` now, the first time only. */
export function markLaunch(mark: LaunchMark): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') {
    return;
  }
  const name = PREFIX + mark;
  if (performance.getEntriesByName(name, 'mark').length === 0) {
    performance.mark(name);
  }
}

/**
 * Every launch mark so far, with the page's own timings (navigation started, the page's HTML
 * read, its scripts run), each as milliseconds since the Unix epoch, oldest first.
 */
export function launchMarks(): [string, number][] {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') {
    return [];
  }
  const origin = performance.timeOrigin;
  const marks: [string, number][] = [['navigation', origin]];
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  // A timing the page has not reached yet reads 0.
  if (navigation !== undefined && navigation.responseEnd > 0) {
    marks.push(['html', origin + navigation.responseEnd]);
  }
  if (navigation !== undefined && navigation.domContentLoadedEventEnd > 0) {
    marks.push(['dom', origin + navigation.domContentLoadedEventEnd]);
  }
  for (const entry of performance.getEntriesByType('mark')) {
    if (entry.name.startsWith(PREFIX)) {
      marks.push([entry.name.slice(PREFIX.length), origin + entry.startTime]);
    }
  }
  return marks.filter(([, at]) => Number.isFinite(at)).sort((a, b) => a[1] - b[1]);
}
