import type { contract, Schedule, ScheduleBody } from "@jobdeck/contract";
import type { InfiniteData } from "@tanstack/react-query";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { tsr, type TsrQueryClient } from "../../lib/api-client";
import { queryKeys } from "../../lib/query-keys";
import { addJob } from "../jobs/job-cache";

/** Schedules per request; a user with more pages through them with "Show more schedules". */
export const SCHEDULES_PAGE_SIZE = 50;
/** nextRunAt and lastRunAt move as schedules fire: the list is read again this often. */
const POLL_MS = 10_000;

type ScheduleListData = InfiniteData<
  DataResponse<typeof contract.schedules.listSchedules>,
  string | undefined
>;
const NO_SCHEDULES: Schedule[] = [];

const selectSchedules = (data: ScheduleListData): Schedule[] => data.pages.flatMap((page) => page.body.data);

/** GET /v1/schedules, page after page along `nextCursor`, in the order the API gives them. */
export function useSchedules({ isPolled = true }: { isPolled?: boolean } = {}) {
  const result = tsr.schedules.listSchedules.useInfiniteQuery<Schedule[], string | undefined>({
    queryKey: queryKeys.listSchedules.all(),
    queryData: ({ pageParam: cursor }) => ({
      query: { limit: String(SCHEDULES_PAGE_SIZE), ...(cursor ? { cursor } : {}) },
    }),
    initialPageParam: undefined,
    getNextPageParam: (lastPage: DataResponse<typeof contract.schedules.listSchedules>) =>
      lastPage.body.pagination.nextCursor ?? undefined,
    select: selectSchedules,
    refetchInterval: isPolled ? POLL_MS : false,
  });
  return { ...result, schedules: result.data ?? NO_SCHEDULES };
}

/** GET /v1/schedules/{id}. Read again as it fires, so that its next and last runs stay current. */
export function useSchedule(scheduleId: string) {
  return tsr.schedules.getSchedule.useQuery({
    queryKey: queryKeys.getSchedule.byId(scheduleId),
    queryData: { params: { scheduleId } },
    select: (response) => response.body.data,
    refetchInterval: POLL_MS,
  });
}

/** A schedule as a create, PUT, pause or resume answered it: its page and the list show it. */
function storeSchedule(queryClient: TsrQueryClient, schedule: Schedule) {
  queryClient.schedules.getSchedule.setQueryData(queryKeys.getSchedule.byId(schedule.id), {
    status: 200,
    body: { success: true, data: schedule, message: "" },
    headers: new Headers(),
  });
  queryClient.setQueryData<ScheduleListData>(queryKeys.listSchedules.all(), (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((page) => ({
            ...page,
            body: {
              ...page.body,
              data: page.body.data.map((s) => (s.id === schedule.id ? schedule : s)),
            },
          })),
        }
      : old,
  );
}

/** POST /v1/schedules; the new schedule sits among the others by creation: the list is read again. */
export function useCreateSchedule() {
  const queryClient = tsr.useQueryClient();
  return tsr.schedules.createSchedule.useMutation({
    onSuccess: (response) => {
      storeSchedule(queryClient, response.body.data);
      void queryClient.invalidateQueries({ queryKey: queryKeys.listSchedules.all() });
    },
  });
}

/** PUT /v1/schedules/{id} with POST's body. */
export function usePutSchedule() {
  const queryClient = tsr.useQueryClient();
  const mutation = tsr.schedules.putSchedule.useMutation({
    onSuccess: (response) => storeSchedule(queryClient, response.body.data),
  });
  const { mutate, isPending, error, reset } = mutation;
  const put = (scheduleId: string, body: ScheduleBody, options?: Parameters<typeof mutate>[1]) =>
    mutate({ params: { scheduleId }, body }, options);
  return { put, isPending, error, reset };
}

/** POST /v1/schedules/{id}/pause or /resume. */
export function useSetSchedulePaused() {
  const queryClient = tsr.useQueryClient();
  const onSuccess = (response: DataResponse<typeof contract.schedules.pauseSchedule>) =>
    storeSchedule(queryClient, response.body.data);
  const pause = tsr.schedules.pauseSchedule.useMutation({ onSuccess });
  const resume = tsr.schedules.resumeSchedule.useMutation({ onSuccess });
  return {
    setPaused: (scheduleId: string, isPaused: boolean) =>
      (isPaused ? pause : resume).mutate({ params: { scheduleId } }),
    isPending: pause.isPending || resume.isPending,
    error: pause.error ?? resume.error,
    reset: () => {
      pause.reset();
      resume.reset();
    },
  };
}

/**
 * POST /v1/schedules/{id}/trigger: a job now. The job's page has it at once, and the schedule is
 * read again (its last job is this one).
 */
export function useTriggerSchedule() {
  const queryClient = tsr.useQueryClient();
  return tsr.schedules.triggerSchedule.useMutation({
    onSuccess: (response, { params }) => {
      addJob(queryClient, response.body.data);
      void queryClient.invalidateQueries({ queryKey: queryKeys.getSchedule.byId(params.scheduleId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listSchedules.all() });
    },
  });
}

/** DELETE /v1/schedules/{id}; its jobs stay, with their scheduleId. */
export function useDeleteSchedule() {
  const queryClient = tsr.useQueryClient();
  return tsr.schedules.deleteSchedule.useMutation({
    onSuccess: (_response, { params }) => {
      queryClient.removeQueries({ queryKey: queryKeys.getSchedule.byId(params.scheduleId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listSchedules.all() });
    },
  });
}
