import { contract } from "@jobdeck/contract";
import { initServer } from "@ts-rest/express";
import { userIdOf } from "../auth/middleware.js";
import { createSchedule } from "./create-schedule.js";
import { deleteSchedule } from "./delete-schedule.js";
import { getSchedule } from "./get-schedule.js";
import { listSchedules } from "./list-schedules.js";
import { putSchedule } from "./put-schedule.js";
import { setSchedulePaused } from "./set-schedule-paused.js";
import { triggerSchedule } from "./trigger-schedule.js";
const s = initServer();
/** The URL of GET /v1/schedules/{scheduleId}, as a 201's Location. */
const scheduleLocation = (id) => contract.schedules.getSchedule.path.replace(":scheduleId", encodeURIComponent(id));
const jobLocation = (id) => contract.jobs.getJob.path.replace(":jobId", encodeURIComponent(id));
/** Thin handlers: parsed input in, one service call, `{ status, body }` out. */
export function createSchedulesRouter(deps) {
    const ok = (data, message) => ({
        status: 200,
        body: { success: true, data, message },
    });
    return s.router(contract.schedules, {
        listSchedules: async ({ query, res }) => {
            const page = await listSchedules({ ...deps, userId: userIdOf(res), query });
            return { status: 200, body: { success: true, ...page } };
        },
        createSchedule: async ({ body, res }) => {
            const schedule = await createSchedule({ ...deps, userId: userIdOf(res), body });
            res.setHeader("Location", scheduleLocation(schedule.id));
            return { status: 201, body: { success: true, data: schedule, message: "Schedule created" } };
        },
        getSchedule: async ({ params, res }) => ok(await getSchedule({ ...deps, userId: userIdOf(res), scheduleId: params.scheduleId }), "Schedule retrieved"),
        putSchedule: async ({ params, body, res }) => ok(await putSchedule({ ...deps, userId: userIdOf(res), scheduleId: params.scheduleId, body }), "Schedule saved"),
        deleteSchedule: async ({ params, res }) => {
            await deleteSchedule({ ...deps, userId: userIdOf(res), scheduleId: params.scheduleId });
            return { status: 204, body: undefined };
        },
        pauseSchedule: async ({ params, res }) => ok(await setSchedulePaused({
            ...deps,
            userId: userIdOf(res),
            scheduleId: params.scheduleId,
            isPaused: true,
        }), "Schedule paused"),
        resumeSchedule: async ({ params, res }) => ok(await setSchedulePaused({
            ...deps,
            userId: userIdOf(res),
            scheduleId: params.scheduleId,
            isPaused: false,
        }), "Schedule resumed"),
        triggerSchedule: async ({ params, res }) => {
            const job = await triggerSchedule({ ...deps, userId: userIdOf(res), scheduleId: params.scheduleId });
            res.setHeader("Location", jobLocation(job.id));
            return { status: 201, body: { success: true, data: job, message: "Schedule triggered" } };
        },
    });
}
//# sourceMappingURL=router.js.map