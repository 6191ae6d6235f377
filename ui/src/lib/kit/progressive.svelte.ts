// A long list drawn a page at a time: the first rows at once, more as the reader scrolls near
// the end (a sentinel after the last row drawn). A plan of 10,000 issues opens its page in the
// time of 60 rows, not 10,000: four screens of a tall window (200 rows, as before, made a large
// plan's issues page open in 400 ms against 292 ms with 60, `bench_sections`); scrolling on
// draws the rest. Where nothing can tell when the end is near (no IntersectionObserver, as in
// unit tests), everything is drawn.

/** Rows drawn at first, and added each time the end comes near. */
export const PAGE = 60;

export class Progressive {
  /** How many rows are drawn now. */
  shown = $state(PAGE);

  /** Draws at least `count` rows (a row a link points at must be on the page to be shown). */
  reveal(count: number): void {
    if (count > this.shown) {
      this.shown = Math.ceil(count / PAGE) * PAGE;
    }
  }

  more(): void {
    this.shown += PAGE;
  }

  all(): void {
    this.shown = Number.POSITIVE_INFINITY;
  }

  /**
   * For the sentinel after the last drawn row (`{@attach list.sentinel}`): draws another page
   * whenever it comes within a screen of view, again and again while it stays there.
   */
  sentinel = (node: Element): (() => void) | undefined => {
    if (typeof IntersectionObserver === 'undefined') {
      this.all();
      return undefined;
    }
    let frame = 0;
    // Pages scroll inside their pane, not the window: near the end means near the end of the
    // box that scrolls (a margin around the window would be clipped by the pane).
    const root = scroller(node);
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.more();
          // Still in view after the new page (short rows)? Looking again says so.
          observer.unobserve(node);
          frame = requestAnimationFrame(() => observer.observe(node));
        }
      },
      { root, rootMargin: '100% 0px' },
    );
    observer.observe(node);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  };
}

/** The nearest ancestor of `node` that scrolls vertically, or none (the window). */
function scroller(node: Element): Element | null {
  for (let at = node.parentElement; at !== null; at = at.parentElement) {
    const overflow = getComputedStyle(at).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') {
      return at;
    }
  }
  return null;
}

/**
 * The first `limit` items across `groups`, group by group (a group past the limit is left out,
 * one cut short keeps its first items), and whether anything was left out.
 */
export function firstAcross<G, T>(
  groups: readonly G[],
  items: (group: G) => readonly T[],
  limit: number,
): { groups: { group: G; items: readonly T[] }[]; cut: boolean } {
  const out: { group: G; items: readonly T[] }[] = [];
  let left = limit;
  let cut = false;
  for (const group of groups) {
    const all = items(group);
    if (left <= 0) {
      cut = true;
      break;
    }
    const taken = all.length > left ? all.slice(0, left) : all;
    cut ||= taken.length < all.length;
    out.push({ group, items: taken });
    left -= taken.length;
  }
  return { groups: out, cut };
}
