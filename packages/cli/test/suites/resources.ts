import {
  JobSchema,
  QueueSchema,
  ScheduleSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "@jobdeck/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jobdeck } from "../support/cli.js";
import type { CliServer } from "../support/server.js";

/** queues, schedules and webhooks: thin over their routes, but their --json is the contract's on each database. */
export function describeResourceCommands(cli: CliServer): void {
  describe(`jobdeck queues, schedules and webhooks on ${cli.provider}`, () => {
    const { as } = cli;
    const json = async (args: string[], env: Record<string, string>) => {
      const result = await jobdeck([...args, "--json"], { env });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as unknown;
    };

    it("queues: set keeps the limits not given, get, list, pause and resume", async () => {
      const env = as("ops");
      const set = QueueSchema.parse(
        await json(["queues", "set", "emails", "--concurrency", "10", "--rate-limit", "100/1m"], env),
      );
      expect(set).toMatchObject({
        name: "emails",
        concurrency: 10,
        rateLimit: { limit: 100, periodMs: 60_000 },
        perKeyConcurrency: null,
      });
      const changed = QueueSchema.parse(
        await json(["queues", "set", "emails", "--per-key-concurrency", "2", "--rate-limit", "none"], env),
      );
      expect(changed).toMatchObject({ concurrency: 10, perKeyConcurrency: 2, rateLimit: null });

      expect(QueueSchema.parse(await json(["queues", "pause", "emails"], env)).isPaused).toBe(true);
      const listed = z.array(QueueSchema).parse(await json(["queues", "list"], env));
      expect(listed.map((queue) => [queue.name, queue.isPaused])).toEqual([["emails", true]]);
      const table = await jobdeck(["queues", "list"], { env });
      expect(table.stdout.split("\n")[1]).toMatch(/^emails\s+paused\s+10\s+2\s+-\s+-\s+0\s+0\s+-$/);
      expect((await jobdeck(["queues", "resume", "emails"], { env })).stdout).toBe("Resumed queue emails\n");
      const shown = await jobdeck(["queues", "get", "emails"], { env });
      expect(shown.stdout).toMatch(/^paused\s+no$/m);
      expect(shown.stdout).toMatch(/^etag\s+\S+$/m);
      expect((await jobdeck(["queues", "get", "nothing-here"], { env })).code).toBe(3);
      const bad = await jobdeck(["queues", "set", "emails", "--rate-limit", "100"], { env });
      expect(bad).toMatchObject({
        code: 2,
        stderr: "Error: --rate-limit 100: expected <starts>/<period>, such as 100/1m, or none\n",
      });
    });

    it("schedules: create, list, get, update, pause, resume, trigger and delete", async () => {
      const env = as("planner");
      const created = ScheduleSchema.parse(
        await json(
          [
            "schedules",
            "create",
            "nightly",
            "--cron",
            "0 3 * * *",
            "--timezone",
            "Europe/Berlin",
            "--type",
            "echo",
            "--payload",
            '{"report": 1}',
          ],
          env,
        ),
      );
      expect(created).toMatchObject({
        name: "nightly",
        cron: "0 3 * * *",
        timezone: "Europe/Berlin",
        payload: { report: 1 },
      });
      expect(
        z
          .array(ScheduleSchema)
          .parse(await json(["schedules", "list"], env))
          .map((s) => s.id),
      ).toEqual([created.id]);
      const updated = ScheduleSchema.parse(
        await json(["schedules", "update", created.id, "--cron", "*/5 * * * *"], env),
      );
      expect(updated).toMatchObject({
        cron: "*/5 * * * *",
        timezone: "Europe/Berlin",
        payload: { report: 1 },
        name: "nightly",
      });
      expect(ScheduleSchema.parse(await json(["schedules", "pause", created.id], env)).isPaused).toBe(true);
      expect(ScheduleSchema.parse(await json(["schedules", "resume", created.id], env)).isPaused).toBe(false);
      const job = JobSchema.parse(await json(["schedules", "trigger", created.id], env));
      expect(job.scheduleId).toBe(created.id);
      const shown = await jobdeck(["schedules", "get", created.id], { env });
      expect(shown.stdout).toContain(`lastJobId  ${job.id}`);
      const invalid = await jobdeck(
        ["schedules", "create", "broken", "--cron", "61 * * * *", "--type", "echo"],
        { env },
      );
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/^Error: cron: /);
      expect((await jobdeck(["schedules", "delete", created.id], { env })).stdout).toBe(
        `Deleted schedule ${created.id}\n`,
      );
      expect((await jobdeck(["schedules", "get", created.id], { env })).code).toBe(3);
    });

    it("webhooks: create (secret shown once), list, update, test, deliveries, rotate-secret and delete", async () => {
      const env = as("hooks");
      const created = WebhookWithSecretSchema.parse(
        await json(
          [
            "webhooks",
            "create",
            "http://127.0.0.1:9/hooks",
            "--event",
            "job.failed",
            "--filter-queue",
            "emails",
          ],
          env,
        ),
      );
      expect(created).toMatchObject({
        events: ["job.failed"],
        filter: { queue: ["emails"] },
        isEnabled: true,
      });
      expect(created.secret).toMatch(/^whsec_/);
      expect(
        z
          .array(WebhookSchema)
          .parse(await json(["webhooks", "list"], env))
          .map((w) => w.id),
      ).toEqual([created.id]);
      const updated = WebhookSchema.parse(
        await json(["webhooks", "update", created.id, "--disabled", "--event", "job.completed"], env),
      );
      expect(updated).toMatchObject({
        isEnabled: false,
        events: ["job.completed"],
        filter: { queue: ["emails"] },
      });
      expect(WebhookSchema.parse(await json(["webhooks", "get", created.id], env))).toEqual(updated);
      const shown = await jobdeck(["webhooks", "get", created.id], { env });
      expect(shown.stdout).toContain(`id       ${created.id}\n`);
      expect(shown.stdout).toContain("enabled  no\n");
      expect(shown.stdout).not.toContain("whsec_");
      const test = await jobdeck(["webhooks", "test", created.id], { env });
      expect(test.stdout).toMatch(/^Sent test message \S+; see it with jobdeck webhooks deliveries/);
      const rotated = await jobdeck(["webhooks", "rotate-secret", created.id], { env });
      expect(rotated.stdout).toMatch(/^whsec_\S+\n$/);
      expect(rotated.stdout.trim()).not.toBe(created.secret);
      expect((await jobdeck(["webhooks", "deliveries", created.id], { env })).code).toBe(0);
      expect((await jobdeck(["webhooks", "delete", created.id], { env })).stdout).toBe(
        `Deleted webhook ${created.id}\n`,
      );
    });
  });
}
