import { describe, expect, it } from "vitest";
import { isScanningStatsKey } from "../src/features/jobs/use-job-events";
import { queryKeys } from "../src/lib/query-keys";

describe("which views' counts live events re-read seldom", () => {
  it("those with a filter the server checks job by job: payload, result, errorCode, idPrefix, waitReason", () => {
    for (const query of [
      { "payload.user.id": "42" },
      { "result.size": "3" },
      { type: "echo", errorCode: "TIMEOUT" },
      { idPrefix: "0190" },
      { waitReason: "backoff" },
    ])
      expect(isScanningStatsKey(queryKeys.getJobStats.query(query)), JSON.stringify(query)).toBe(true);
  });

  it("not those the indexes narrow: type, queue, tag, metadata, none", () => {
    for (const query of [{}, { type: "echo" }, { queue: "emails", tag: "a" }, { "metadata.team": "x" }])
      expect(isScanningStatsKey(queryKeys.getJobStats.query(query)), JSON.stringify(query)).toBe(false);
    expect(isScanningStatsKey(queryKeys.getJobStats.all())).toBe(false);
  });
});
