/**
 * Group commit: items queue while one batch is being written and go together in the next, so the
 * number of transactions follows the database's pace rather than the number of items. Items that
 * arrive in the same turn of the event loop start the first batch together.
 *
 * When a batch fails, each of its items is written alone, so that one item that cannot be written
 * fails only itself. `writeBatch` must therefore be safe to repeat for the items of a batch that
 * rolled back (the job store's settles are: each one is fenced, so written at most once).
 */
export function createSettleQueue<T, R>(
  writeBatch: (items: T[]) => Promise<R[]>,
  maxBatch: number,
): {
  (item: T): Promise<R>;
  /** Settles once every item queued so far has been written (or has failed). */
  written(): Promise<void>;
} {
  type Waiting = { item: T; resolve(result: R): void; reject(error: unknown): void };
  const waiting: Waiting[] = [];
  let isDraining = false;

  const drain = async () => {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      try {
        const results = await writeBatch(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        for (const w of batch) {
          await writeBatch([w.item]).then(
            ([result]) => w.resolve(result!),
            (e: unknown) => w.reject(e),
          );
        }
      }
    }
    isDraining = false;
  };

  /** Every item queued and not yet written, as promises that settle when it is. */
  const pending = new Set<Promise<unknown>>();
  const enqueue = (item: T) => {
    const written = new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (isDraining) return;
      isDraining = true;
      setImmediate(() => void drain());
    });
    const forget = (): void => {
      pending.delete(settled);
    };
    const settled: Promise<void> = written.then(forget, forget);
    pending.add(settled);
    return written;
  };
  return Object.assign(enqueue, {
    written: async () => {
      await Promise.all([...pending]);
    },
  });
}
