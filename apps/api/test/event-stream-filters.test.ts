import { JOB_EVENT } from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { expectError } from "./support/assertions.js";
import { testProviders } from "./support/databases.js";
import { openEventStream } from "./support/jobs.js";
import { postJson } from "./support/server.js";
import { serveSuite } from "./support/suite.js";
import { JobResponseSchema, type Job } from "@jobdeck/contract";

const providers = await testProviders();

/** GET /v1/events with §15's filters: they apply to `job` events, live and replayed. */
describe.each(providers)("GET /v1/events with filters on %s", (provider) => {
  const suite = serveSuite(provider);
  const FILTER = "tag=red&payload.n=1&status=pending,cancelled";

  const create = async (payload: unknown, tags: string[]): Promise<Job> => {
    const response = await suite.server.request(
      "/v1/jobs",
      postJson({ type: "echo", payload, tags }, suite.alice),
    );
    expect(response.status, response.text).toBe(201);
    return JobResponseSchema.parse(response.body).data;
  };

  /** Makes jobs that match and jobs that miss, then the last one, which matches, as a marker. */
  const makeJobs = async (run: string) => {
    const hit = await create({ n: 1, run }, ["red", "x"]);
    await create({ n: 2, run }, ["red"]);
    await create({ n: 1, run }, ["blue"]);
    await create({ n: "1", run }, ["red"]);
    await suite.post(`/v1/jobs/${hit.id}/cancel`, suite.alice);
    const marker = await create({ n: 1, run, isLast: true }, ["red"]);
    return { hit, marker };
  };

  /** The job events a stream received up to the marker job's, as [id of the job, status]. */
  const received = async (stream: Awaited<ReturnType<typeof openEventStream>>, marker: Job) => {
    await stream.next((job) => job.id === marker.id);
    return stream.events
      .filter((event) => event.event === JOB_EVENT)
      .map((event) => {
        const job = JSON.parse(event.data) as Job;
        return [job.id, job.status];
      });
  };

  it("sends only the job events that match, live", async () => {
    const stream = await openEventStream(suite.server, suite.alice, {}, FILTER);
    try {
      expect(stream.response.status).toBe(200);
      await stream.readyId();
      const { hit, marker } = await makeJobs("live");
      expect(await received(stream, marker)).toEqual([
        [hit.id, "pending"],
        [hit.id, "cancelled"],
        [marker.id, "pending"],
      ]);
    } finally {
      stream.close();
    }
  });

  it("replays only the job events that match after Last-Event-ID", async () => {
    const first = await openEventStream(suite.server, suite.alice, {}, FILTER);
    const from = await first.readyId();
    first.close();
    const { hit, marker } = await makeJobs("replayed");
    const resumed = await openEventStream(
      suite.server,
      suite.alice,
      { "last-event-id": String(from) },
      FILTER,
    );
    try {
      expect(await received(resumed, marker)).toEqual([
        [hit.id, "pending"],
        [hit.id, "cancelled"],
        [marker.id, "pending"],
      ]);
    } finally {
      resumed.close();
    }
  });

  it("refuses bad filters as the list does", async () => {
    for (const [query, path, message] of [
      ["limit=5", "limit", "is not an accepted field"],
      ["idPrefix=zz", "idPrefix", "must be 4–36 hex digits and dashes"],
      ["payload.a.b.c.d.e.f.g.h.i=1", "payload.a.b.c.d.e.f.g.h.i", /at most 8/],
    ] as const) {
      const response = await suite.server.request(`/v1/events?${query}`, { token: suite.alice });
      expectError(response, 400, "VALIDATION_FAILED", { details: [{ path, message }] });
    }
  });
});
