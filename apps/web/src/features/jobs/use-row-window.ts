import {
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type RefObject,
} from "react";

type RowWindowOptions = {
  count: number;
  /** Every row has this height (px): a row's place is its index times it, nothing is measured. */
  rowHeight: number;
  /** Rows rendered beyond the visible ones on each side. */
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
  /** Where the list opens (px), to come back to the place it was left. */
  initialOffset: number;
};

export type RowWindow = {
  /** The rendered rows: indices `start` to `end - 1`. */
  start: number;
  end: number;
  /** The height of the rows above and below them (spacers stand for them in a table). */
  paddingTop: number;
  paddingBottom: number;
  /** Scrolls the least that shows row `index` whole (none when it is in view), as a focus move does. */
  scrollToIndex: (index: number) => void;
};

type Viewport = { top: number; height: number };
/** Where the window was placed, and which way the reader was going then (1 down, -1 up). */
type Anchor = Viewport & { direction: 1 | -1 };

/** Rows kept behind the visible ones, against the scroll's direction. */
const BEHIND = 2;
/** The window moves when fewer rows than this are left ahead of the visible ones. */
const MARGIN = 5;

const visibleRows = ({ top, height }: Viewport, rowHeight: number) => ({
  first: Math.floor(top / rowHeight),
  last: Math.ceil((top + height) / rowHeight),
});

/** The rows rendered around `anchor`: 2 × overscan beyond the visible ones, most of them ahead. */
function windowOf({ top, height, direction }: Anchor, rowHeight: number, overscan: number) {
  const { first, last } = visibleRows({ top, height }, rowHeight);
  const ahead = 2 * overscan - BEHIND;
  return direction > 0
    ? { start: Math.max(0, first - BEHIND), end: last + ahead }
    : { start: Math.max(0, first - ahead), end: last + BEHIND };
}

/**
 * The rows of a fixed-height list to render for its scroll position: the visible ones and
 * 2 × `overscan` more, most of them ahead in the direction the reader scrolls. The window moves
 * only once fewer than MARGIN rows are left ahead, and then by about 2 × overscan at once: a steady
 * scroll re-renders the list every ~13 rows instead of on every scroll event, and the frames
 * between are only the compositor moving pixels already painted. Each move costs about the same
 * whatever it adds (the table is laid out and painted again), so fewer, larger moves drop fewer
 * frames. The rows beyond the visible ones stay within 2 × overscan.
 *
 * It replaces @tanstack/react-virtual, whose measuring, dynamic sizes and scroll classification
 * this list does not use (every row is ROW_HEIGHT high): about 7 kB of the first visit's download.
 */
export function useRowWindow({
  count,
  rowHeight,
  overscan,
  scrollRef,
  initialOffset,
}: RowWindowOptions): RowWindow {
  // The viewport the window was last placed around; a scroll that stays inside it changes nothing.
  const [anchor, setAnchor] = useState<Anchor>({ top: initialOffset, height: 0, direction: 1 });
  const placed = windowOf(anchor, rowHeight, overscan);
  const start = Math.min(placed.start, count);
  const end = Math.min(count, placed.end);
  const countRef = useRef(count);
  countRef.current = count;

  const follow = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const viewport = { top: element.scrollTop, height: element.clientHeight };
    // A transition: React renders the rows coming in a few milliseconds at a time between frames
    // instead of in one block inside the scroll event, which on a slow CPU held up the frames.
    // The MARGIN rows still rendered ahead cover the frames it takes.
    startTransition(() =>
      setAnchor((placed) => {
        const direction = viewport.top >= placed.top ? 1 : -1;
        if (placed.height !== viewport.height) return { ...viewport, direction };
        const now = visibleRows(viewport, rowHeight);
        const rendered = windowOf(placed, rowHeight, overscan);
        const isCovered =
          (rendered.start === 0 || now.first - rendered.start >= BEHIND) &&
          (rendered.end >= countRef.current || rendered.end - now.last >= MARGIN);
        return isCovered ? placed : { ...viewport, direction };
      }),
    );
  }, [scrollRef, rowHeight, overscan]);

  // Before the first paint: back to where the list was left, and the viewport's real height.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    if (initialOffset > 0) element.scrollTop = initialOffset;
    setAnchor({ top: element.scrollTop, height: element.clientHeight, direction: 1 });
    // Only on mount: later offsets come from the reader's scrolling.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    element.addEventListener("scroll", follow, { passive: true });
    const resize = typeof ResizeObserver === "undefined" ? undefined : new ResizeObserver(follow);
    resize?.observe(element);
    return () => {
      element.removeEventListener("scroll", follow);
      resize?.disconnect();
    };
  }, [scrollRef, follow]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element || count === 0) return;
      const row = Math.max(0, Math.min(index, count - 1));
      const top = element.scrollTop;
      const height = element.clientHeight;
      const maxTop = Math.max(0, element.scrollHeight - height);
      const rowTop = row * rowHeight;
      const rowBottom = rowTop + rowHeight;
      let to: number;
      if (rowBottom >= top + height) to = row === count - 1 ? maxTop : rowBottom - height;
      else if (rowTop <= top) to = rowTop;
      else return;
      element.scrollTop = Math.max(0, Math.min(maxTop, to));
      follow();
    },
    [scrollRef, count, rowHeight, follow],
  );

  return {
    start,
    end: Math.max(start, end),
    paddingTop: start * rowHeight,
    paddingBottom: Math.max(0, count - Math.max(start, end)) * rowHeight,
    scrollToIndex,
  };
}
