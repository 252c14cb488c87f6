import type { contract, JobLogLine, LogEventData, LogLevel } from "@jobdeck/contract";
import { useQuery } from "@tanstack/react-query";
import type { DataResponse } from "@ts-rest/react-query/v5";
import { useEffect, useMemo, useState } from "react";
import { tsr } from "../../lib/api-client";
import { subscribeJobLog } from "../../lib/job-log-feed";
import { queryKeys } from "../../lib/query-keys";

/** Lines per request; a log of 10,000 lines (the cap) is read in 100 requests at most. */
export const LOG_PAGE_SIZE = 100;

type LogPage = DataResponse<typeof contract.attempts.listJobLogs>;
const NO_LINES: JobLogLine[] = [];

/**
 * A job's log (§14): its lines read oldest first, page after page until caught up, then its live
 * `log` events appended, each line once (by `seq`) and in order. `levels` null: every level.
 */
export function useJobLog(
  jobId: string,
  levels: readonly LogLevel[] | null,
  { hasStarted = true }: { hasStarted?: boolean } = {},
) {
  const [live, setLive] = useState<JobLogLine[]>([]);
  const [readSoFar, setReadSoFar] = useState(0);
  const query = useQuery({
    queryKey: queryKeys.listJobLogs(jobId, levels),
    // Every page, oldest first: the newest lines are the ones a person watching wants, and the
    // API pages forward only. Ten thousand lines (the cap) are 100 requests at most.
    queryFn: async ({ signal }) => {
      const lines: JobLogLine[] = [];
      let droppedLines = 0;
      let cursor: string | undefined;
      setReadSoFar(0);
      do {
        const response = await tsr.attempts.listJobLogs.query({
          params: { jobId },
          query: {
            limit: String(LOG_PAGE_SIZE),
            ...(levels ? { level: levels.join(",") } : {}),
            ...(cursor ? { cursor } : {}),
          },
          fetchOptions: { signal },
        });
        // The same error shape the hooks throw: { status, body }.
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- toProblem reads it as the hooks' errors
        if (response.status !== 200) throw response;
        const page = response.body as Partial<LogPage["body"]>;
        // A body that is not a page (from a proxy, or an older server) ends the reading.
        lines.push(...(Array.isArray(page.data) ? page.data : []));
        droppedLines = page.droppedLines ?? 0;
        cursor = page.pagination?.nextCursor ?? undefined;
        setReadSoFar(lines.length);
      } while (cursor);
      return { lines, droppedLines };
    },
    // Live events keep it current while it is shown; a read again would start over from the
    // first line. Once no view shows it, it is dropped: it would miss the lines written meanwhile.
    staleTime: Infinity,
    gcTime: 0,
    // A job that never started has no lines yet: its first ones arrive live.
    enabled: hasStarted,
  });

  // Every live line of the job since the view opened, whatever the levels: a change of levels
  // reads the pages again, and lines written meanwhile must not fall between the two.
  useEffect(() => {
    setLive([]);
    return subscribeJobLog(jobId, (line: LogEventData) => {
      const { jobId: _jobId, ...rest } = line;
      setLive((lines) => [...lines, rest]);
    });
  }, [jobId]);

  const loaded = query.data?.lines ?? NO_LINES;
  const lines = useMemo(() => {
    // While the pages are read, live lines are shown as they come; once read, those past its end.
    const last = loaded.at(-1)?.seq ?? 0;
    const newer = live.filter((line) => line.seq > last && (!levels || levels.includes(line.level)));
    if (newer.length === 0) return loaded;
    // Live lines may come out of order: one sorted list, each seq once.
    const bySeq = new Map<number, JobLogLine>();
    for (const line of [...loaded, ...newer]) bySeq.set(line.seq, line);
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }, [loaded, live, levels]);

  return {
    lines,
    droppedLines: query.data?.droppedLines ?? 0,
    /** Lines read so far while the pages are read. */
    readSoFar,
    isPending: hasStarted && query.isPending,
    error: query.error,
    isError: query.isError,
    refetch: () => void query.refetch(),
  };
}

/** A job's attempts (§14), read again whenever the job starts or ends an attempt. */
export function useJobAttempts(jobId: string, version: string, { hasStarted = true } = {}) {
  const result = tsr.attempts.listJobAttempts.useQuery({
    queryKey: queryKeys.listJobAttempts(jobId),
    queryData: { params: { jobId } },
    enabled: hasStarted,
    select: (response) => (Array.isArray(response.body.data) ? response.body.data : []),
  });
  const { refetch } = result;
  useEffect(() => {
    if (hasStarted) void refetch();
  }, [version, refetch, hasStarted]);
  return result;
}
