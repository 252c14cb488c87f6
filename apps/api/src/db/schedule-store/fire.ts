import { inList, type Database, type Tx } from "../index.js";
import type { JobStore, NewJob } from "../job-store/index.js";
import { asScheduleRow } from "../queries/schedules.js";
import type { JobRow, ScheduleRow } from "../rows.js";

export type Downtime = { fromAt: number; toAt: number };

/** What one due schedule comes to in a pass: its fire times (each a job, or null when dropped) and its next one. */
export type FirePlan = {
  nextRunAt: number | null;
  fires: { fireAt: number; job: NewJob | null }[];
};

/** Decides a due schedule's fire times (schedules/plan-fires.ts): pure, given what the pass read. */
export type PlanFires = (input: {
  schedule: ScheduleRow;
  /** Whether its last job is pending or running (for overlap: skip). */
  isLastJobActive: boolean;
  /** The recorded downtimes that end after its nextRunAt. */
  downtimes: Downtime[];
  now: number;
}) => FirePlan;

export type FiredSchedule = { scheduleId: string; fireAt: number; jobId: string | null };

const fireRowSql = (i: number) => `(@scheduleId_${i}, @fireAt_${i}, @jobId_${i}, @now)`;

/**
 * One firing pass (§12), one transaction: takes up to `limit` schedules whose nextRunAt has come
 * (on PostgreSQL the rows are locked, and rows another process holds are skipped, so processes fire
 * different schedules side by side), records each decided fire time in schedule_fires — whose
 * primary key (scheduleId, fireAt) lets a fire time make one job whatever else happens — inserts
 * the jobs in one statement through the job store (with their events), and moves each schedule's
 * nextRunAt, lastRunAt and lastJobId. Returns the jobs made and the fire times dropped.
 */
export function fireDueSchedules(
  db: Pick<Database, "writer" | "sql">,
  store: Pick<JobStore, "insertJobsIn">,
  { now, limit, plan }: { now: Date; limit: number; plan: PlanFires },
): Promise<{ taken: number; jobs: JobRow[]; fired: FiredSchedule[] }> {
  return db.writer.transaction(async (tx) => {
    const schedules = (
      await tx.all(
        `SELECT * FROM "schedules" WHERE "nextRunAt" <= @now ORDER BY "nextRunAt" LIMIT @limit ${db.sql.skipLocked}`,
        { now, limit },
      )
    ).map(asScheduleRow);
    if (schedules.length === 0) return { taken: 0, jobs: [], fired: [] };

    const active = await activeJobIds(
      tx,
      schedules.flatMap((s) => (s.overlap === "skip" && s.lastJobId !== null ? [s.lastJobId] : [])),
    );
    const oldest = Math.min(...schedules.map((s) => s.nextRunAt ?? now.getTime()));
    const downtimes = (
      await tx.all(`SELECT "fromAt", "toAt" FROM "schedule_downtimes" WHERE "toAt" > @oldest`, {
        oldest: new Date(oldest),
      })
    ).map((row) => ({ fromAt: Number(row.fromAt), toAt: Number(row.toAt) }));

    const plans = schedules.map((schedule) => ({
      schedule,
      plan: plan({
        schedule,
        isLastJobActive: schedule.lastJobId !== null && active.has(schedule.lastJobId),
        downtimes,
        now: now.getTime(),
      }),
    }));
    const decided = plans.flatMap(({ schedule, plan: { fires } }) =>
      fires.map((fire) => ({ scheduleId: schedule.id, ...fire })),
    );
    const recorded = await recordFires(tx, decided, now);
    const isRecorded = (scheduleId: string, fireAt: number) => recorded.has(`${scheduleId}|${fireAt}`);

    const jobs = await store.insertJobsIn(
      tx,
      decided.flatMap((fire) => (fire.job && isRecorded(fire.scheduleId, fire.fireAt) ? [fire.job] : [])),
      now,
    );

    const updates = plans.map(({ schedule, plan: { nextRunAt, fires } }) => {
      const made = fires.filter((fire) => fire.job !== null && isRecorded(schedule.id, fire.fireAt)).at(-1);
      return {
        id: schedule.id,
        nextRunAt,
        lastRunAt: made ? made.fireAt : schedule.lastRunAt,
        lastJobId: made ? made.job!.id : schedule.lastJobId,
      };
    });
    await updateSchedules(db, tx, updates);
    return {
      taken: schedules.length,
      jobs,
      fired: decided
        .filter((fire) => isRecorded(fire.scheduleId, fire.fireAt))
        .map((fire) => ({ scheduleId: fire.scheduleId, fireAt: fire.fireAt, jobId: fire.job?.id ?? null })),
    };
  });
}

/** The ids among `ids` of jobs that are pending or running. */
async function activeJobIds(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const params: Record<string, unknown> = {};
  const rows = await tx.all(
    `SELECT "id" FROM "jobs" WHERE "id" IN ${inList("id", ids, params)} AND "status" IN ('pending', 'running')`,
    params,
  );
  return new Set(rows.map((row) => row.id as string));
}

/** Fire records per INSERT: three parameters each, well within both databases' limits on them. */
const FIRES_PER_STATEMENT = 1_000;

/** Inserts the fire records that do not exist yet; returns the keys `scheduleId|fireAt` it inserted. */
async function recordFires(
  tx: Tx,
  fires: { scheduleId: string; fireAt: number; job: NewJob | null }[],
  now: Date,
): Promise<Set<string>> {
  const recorded = new Set<string>();
  for (let from = 0; from < fires.length; from += FIRES_PER_STATEMENT) {
    const chunk = fires.slice(from, from + FIRES_PER_STATEMENT);
    const params: Record<string, unknown> = { now };
    for (const [i, fire] of chunk.entries()) {
      params[`scheduleId_${i}`] = fire.scheduleId;
      params[`fireAt_${i}`] = new Date(fire.fireAt);
      params[`jobId_${i}`] = fire.job?.id ?? null;
    }
    const rows = await tx.all(
      `INSERT INTO "schedule_fires" ("scheduleId", "fireAt", "jobId", "createdAt")
        VALUES ${chunk.map((_, i) => fireRowSql(i)).join(", ")}
        ON CONFLICT ("scheduleId", "fireAt") DO NOTHING RETURNING "scheduleId", "fireAt"`,
      params,
    );
    for (const row of rows) recorded.add(`${row.scheduleId as string}|${Number(row.fireAt)}`);
  }
  return recorded;
}

type ScheduleUpdate = {
  id: string;
  nextRunAt: number | null;
  lastRunAt: number | null;
  lastJobId: string | null;
};

async function updateSchedules(db: Pick<Database, "sql">, tx: Tx, updates: ScheduleUpdate[]): Promise<void> {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  if (db.sql.updateSchedulesSql && updates.length > 1) {
    await tx.run(db.sql.updateSchedulesSql, {
      ids: updates.map((u) => u.id),
      nextRunAts: updates.map((u) => iso(u.nextRunAt)),
      lastRunAts: updates.map((u) => iso(u.lastRunAt)),
      lastJobIds: updates.map((u) => u.lastJobId),
    });
    return;
  }
  for (const update of updates) {
    await tx.run(
      `UPDATE "schedules" SET "nextRunAt" = @nextRunAt, "lastRunAt" = @lastRunAt, "lastJobId" = @lastJobId
        WHERE "id" = @id`,
      {
        id: update.id,
        nextRunAt: update.nextRunAt === null ? null : new Date(update.nextRunAt),
        lastRunAt: update.lastRunAt === null ? null : new Date(update.lastRunAt),
        lastJobId: update.lastJobId,
      },
    );
  }
}
