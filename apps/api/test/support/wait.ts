import { setTimeout as delay } from "node:timers/promises";

/** A promise with its resolve function, to hold a handler until the test lets it go. */
export function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Polls `read` until it gives something truthy; generous timeout. */
export async function until<T>(
  read: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await delay(10);
  }
}
