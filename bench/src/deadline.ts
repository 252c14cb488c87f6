import pidtree from "pidtree";

/** Thrown for a target that ran past its deadline; the run records it as not measured and goes on. */
export class DeadlineError extends Error {}

/**
 * `work`'s outcome, or, if it has none after `ms`, `onExpiry` is awaited and a DeadlineError thrown.
 * What `work` does after that is of no interest: its rejection is dropped.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  onExpiry: () => Promise<void>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<"expired">((resolve) => {
    timer = setTimeout(() => resolve("expired"), ms);
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), expiry]);
    if (first !== "expired") return first.value;
  } finally {
    clearTimeout(timer);
  }
  work.catch(() => undefined);
  await onExpiry();
  throw new DeadlineError(`did not finish within ${Math.round(ms / 1000)} s`);
}

/**
 * SIGKILLs every process under `pid` (servers, load processes, Chromium and its renderers), so that
 * whatever a hung target awaited from them ends. Returns the pids it signalled.
 */
export async function killDescendants(pid: number): Promise<number[]> {
  const pids = await pidtree(pid);
  for (const descendant of pids) {
    try {
      process.kill(descendant, "SIGKILL");
    } catch {
      // Gone already (`ps`, which pidtree ran, is one of them).
    }
  }
  return pids;
}
