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

const visibleRows = ({ top, height }: Viewport, rowHeight: number) => ({
  first: Math.floor(top / rowHeight),
  last: Math.ceil((top + height) / rowHeight),
});

/**
 * The rows of a fixed-height list to render for its scroll position: the visible ones and
 * `overscan` more on each side. The window moves only once the visible rows come within half the
 * overscan of its edge, and then by half the overscan at once: a steady scroll re-renders the list
 * every few rows instead of on every scroll event, and the frames between are only the compositor
 * moving pixels already painted. The rows beyond the visible ones stay within 2 × overscan.
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
  const [anchor, setAnchor] = useState<Viewport>({ top: initialOffset, height: 0 });
  const { first, last } = visibleRows(anchor, rowHeight);
  const start = Math.max(0, Math.min(first, count) - overscan);
  const end = Math.min(count, last + overscan);
  const margin = Math.ceil(overscan / 2);
  const countRef = useRef(count);
  countRef.current = count;

  const follow = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const viewport = { top: element.scrollTop, height: element.clientHeight };
    // A transition: React renders the rows coming in a few milliseconds at a time between frames
    // instead of in one block inside the scroll event, which on a slow CPU held up the frames.
    // The half overscan still rendered ahead covers the frames it takes.
    startTransition(() =>
      setAnchor((placed) => {
        if (placed.height !== viewport.height) return viewport;
        const now = visibleRows(viewport, rowHeight);
        const was = visibleRows(placed, rowHeight);
        const placedStart = Math.max(0, was.first - overscan);
        const placedEnd = was.last + overscan;
        const isCovered =
          (placedStart === 0 || now.first - placedStart >= margin) &&
          (placedEnd >= countRef.current || placedEnd - now.last >= margin);
        return isCovered ? placed : viewport;
      }),
    );
  }, [scrollRef, rowHeight, overscan, margin]);

  // Before the first paint: back to where the list was left, and the viewport's real height.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    if (initialOffset > 0) element.scrollTop = initialOffset;
    setAnchor({ top: element.scrollTop, height: element.clientHeight });
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
