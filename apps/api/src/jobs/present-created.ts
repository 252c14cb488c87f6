import type { Job, WaitReason } from "@jobdeck/contract";
import type { Database } from "../db/index.js";
import type { CreatedWaits } from "../db/job-store/index.js";
import type { JobRow } from "../db/rows.js";
import { rowWaitReason, toJob } from "./mapper.js";
import { explainCreated, explainWaits, type WaitRow } from "./wait-reasons.js";

/**
 * How to show a job a create is about to write. Its answer is stored inside the create's
 * transaction when an Idempotency-Key asks for it, and a replay must match it, so the reason a
 * pending job would wait for is read once beforehand, for `prospect` (its queue, key and type);
 * a row's own reasons (backoff, scheduled) still come from the row.
 */
export async function presenterFor({
  db,
  prospect,
}: {
  db: Pick<Database, "read" | "sql">;
  prospect: Omit<WaitRow, "status" | "attempts" | "runAt">;
}): Promise<(row: JobRow) => Job> {
  const now = new Date();
  const row: WaitRow = { ...prospect, status: "pending", attempts: 0, runAt: now.getTime() };
  return presenting((await explainWaits({ db, rows: [row], now })).get(prospect.id));
}

/**
 * presenterFor from what the create's write read (JobStore.insertJobAndExplain), for a create that
 * stores no answer; undefined when that is not enough (see explainCreated): use presenterFor.
 */
export function presenterFromWaits(
  prospect: Omit<WaitRow, "status" | "attempts" | "runAt">,
  waits: CreatedWaits,
): ((row: JobRow) => Job) | undefined {
  const row: WaitRow = { ...prospect, status: "pending", attempts: 0, runAt: Date.now() };
  const reason = explainCreated(row, waits);
  return reason === undefined ? undefined : presenting(reason);
}

/** Shows a stored row with `reason` while it may start; its own reasons (backoff, scheduled) come from it. */
const presenting =
  (reason: WaitReason | undefined) =>
  (stored: JobRow): Job => {
    const own = rowWaitReason(stored, Date.now());
    return toJob(stored, own === "queued" ? (reason ?? own) : own);
  };

/**
 * presenterFor for the many jobs one request creates (a batch, §12): their reasons are read in one
 * go (explainWaits reads a fixed number of statements per user, whatever the number of jobs), and
 * the presenter shows each stored row with its own.
 */
export async function presenterForMany({
  db,
  prospects,
}: {
  db: Pick<Database, "read" | "sql">;
  prospects: Omit<WaitRow, "status" | "attempts" | "runAt">[];
}): Promise<(row: JobRow) => Job> {
  const now = new Date();
  const rows: WaitRow[] = prospects.map((prospect) => ({
    ...prospect,
    status: "pending",
    attempts: 0,
    runAt: now.getTime(),
  }));
  const reasons = await explainWaits({ db, rows, now });
  return (stored) => {
    const own = rowWaitReason(stored, Date.now());
    return toJob(stored, own === "queued" ? (reasons.get(stored.id) ?? own) : own);
  };
}
