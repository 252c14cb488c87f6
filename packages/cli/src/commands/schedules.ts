import { CATCH_UP_MODES, OVERLAP_MODES, type Schedule, type ScheduleBody } from "@jobdeck/contract";
import { Command, Option } from "commander";
import { act, examples, jsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { statusText, timeText } from "../format.js";
import { integer, readJsonArgument } from "../input.js";
import type { Io } from "../output.js";
import { allPages } from "../paging.js";

type ScheduleFlags = JsonFlags & {
  name?: string;
  cron?: string;
  type?: string;
  payload?: string;
  timezone?: string;
  queue?: string;
  priority?: string;
  overlap?: ScheduleBody["overlap"];
  catchUp?: ScheduleBody["catchUp"];
};

function withScheduleOptions(command: Command): Command {
  return command
    .option("--cron <expression>", "Vixie cron: 5 fields, or 6 with seconds first")
    .option("--type <type>", "the job type it creates")
    .option("--payload <json|@file|->", "the jobs' payload: JSON, @file or - for standard input")
    .option("--timezone <zone>", "IANA zone whose wall clock the cron follows (default UTC)")
    .option("--queue <name>", "the queue its jobs wait in")
    .option("--priority <n>", "its jobs' priority, -100…100")
    .addOption(
      new Option("--overlap <mode>", "skip: no job while the last one is pending or running").choices(
        OVERLAP_MODES,
      ),
    )
    .addOption(
      new Option("--catch-up <mode>", "after downtime: latest makes one job, none skips").choices(
        CATCH_UP_MODES,
      ),
    )
    .addOption(jsonOption());
}

/** The body the flags make, over `base` (the schedule as it is, for update). */
async function scheduleBody(
  context: Context,
  flags: ScheduleFlags,
  base: Partial<ScheduleBody>,
): Promise<ScheduleBody> {
  const body: Partial<ScheduleBody> = { ...base };
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.cron !== undefined) body.cron = flags.cron;
  if (flags.type !== undefined) body.type = flags.type;
  if (flags.payload !== undefined)
    body.payload = await readJsonArgument(flags.payload, "--payload", context.io);
  if (flags.timezone !== undefined) body.timezone = flags.timezone;
  if (flags.queue !== undefined) body.queue = flags.queue;
  if (flags.priority !== undefined) body.priority = integer(flags.priority, "--priority", -1e9, 1e9);
  if (flags.overlap !== undefined) body.overlap = flags.overlap;
  if (flags.catchUp !== undefined) body.catchUp = flags.catchUp;
  for (const [field, flag] of [
    ["cron", "--cron"],
    ["type", "--type"],
  ] as const) {
    if (body[field] === undefined) throw new UsageError(`${flag} is required`);
  }
  return { payload: {}, ...body } as ScheduleBody;
}

function printSchedule({ out }: Context, schedule: Schedule): void {
  out.fields([
    ["id", schedule.id],
    ["name", schedule.name],
    ["cron", `${schedule.cron} (${schedule.timezone})`],
    ["type", schedule.type],
    ["queue", schedule.queue],
    ["priority", String(schedule.priority)],
    ["overlap", schedule.overlap],
    ["catchUp", schedule.catchUp],
    ["paused", schedule.isPaused ? out.colors.yellow("yes") : "no"],
    ["nextRun", timeText(schedule.nextRunAt, out.isTTY)],
    ["lastRun", timeText(schedule.lastRunAt, out.isTTY)],
    ["lastJobId", schedule.lastJobId ?? "-"],
    ["payload", JSON.stringify(schedule.payload, null, 2)],
  ]);
}

const show = (context: Context, flags: JsonFlags, value: Schedule, line: string) =>
  flags.json ? context.out.json(value) : context.out.line(line);

const idArgument = ["<id>", "the schedule's id (jobdeck schedules list)"] as const;

export function schedulesCommand(io: Io): Command {
  const schedules = new Command("schedules").description("schedules: jobs created on a calendar (§12)");

  examples(
    schedules
      .command("list")
      .alias("ls")
      .description("every schedule, oldest first")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) => {
          const client = context.client();
          const all = await allPages((query) => client.schedules.listSchedules({ query }));
          if (flags.json) return context.out.json(all);
          const { out } = context;
          out.table(
            ["ID", "NAME", "CRON", "TYPE", "PAUSED", "NEXT RUN", "LAST RUN"],
            all.map((schedule) => [
              schedule.id,
              schedule.name,
              `${schedule.cron} ${schedule.timezone}`,
              schedule.type,
              schedule.isPaused ? out.colors.yellow("paused") : "-",
              timeText(schedule.nextRunAt, out.isTTY),
              timeText(schedule.lastRunAt, out.isTTY),
            ]),
          );
        }),
      ),
    ["jobdeck schedules list"],
  );

  examples(
    schedules
      .command("get")
      .argument(...idArgument)
      .description("one schedule")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const schedule = (await context.client().schedules.getSchedule({ params: { scheduleId: id } })).body
            .data;
          if (flags.json) context.out.json(schedule);
          else printSchedule(context, schedule);
        }),
      ),
    ["jobdeck schedules get 0190f7a0-…"],
  );

  examples(
    withScheduleOptions(
      schedules
        .command("create")
        .argument("<name>", "unique among your schedules")
        .description("create a schedule"),
    ).action(
      act(io, async (context, name: string, flags: ScheduleFlags) => {
        const body = await scheduleBody(context, flags, { name });
        const schedule = (await context.client().schedules.createSchedule({ body })).body.data;
        show(
          context,
          flags,
          schedule,
          `Created schedule ${schedule.id} (${schedule.name}); next run ${timeText(schedule.nextRunAt, context.out.isTTY)}`,
        );
      }),
    ),
    [
      `jobdeck schedules create nightly-report --cron '0 3 * * *' --timezone Europe/Berlin --type echo --payload '{"report": "daily"}'`,
    ],
  );

  examples(
    withScheduleOptions(
      schedules
        .command("update")
        .argument(...idArgument)
        .description("change a schedule; the flags not given keep their value")
        .option("--name <name>", "a new name"),
    ).action(
      act(io, async (context, id: string, flags: ScheduleFlags) => {
        const client = context.client();
        const current = (await client.schedules.getSchedule({ params: { scheduleId: id } })).body.data;
        const { name, cron, timezone, type, payload, queue, priority, overlap, catchUp } = current;
        const body = await scheduleBody(context, flags, {
          name,
          cron,
          timezone,
          type,
          payload,
          queue,
          priority,
          overlap,
          catchUp,
        });
        const schedule = (await client.schedules.putSchedule({ params: { scheduleId: id }, body })).body.data;
        show(
          context,
          flags,
          schedule,
          `Updated schedule ${schedule.id}; next run ${timeText(schedule.nextRunAt, context.out.isTTY)}`,
        );
      }),
    ),
    ["jobdeck schedules update 0190f7a0-… --cron '*/5 * * * *'"],
  );

  examples(
    schedules
      .command("delete")
      .argument(...idArgument)
      .description("delete a schedule (its jobs stay)")
      .action(
        act(io, async (context, id: string) => {
          await context.client().schedules.deleteSchedule({ params: { scheduleId: id } });
          context.out.line(`Deleted schedule ${id}`);
        }),
      ),
    ["jobdeck schedules delete 0190f7a0-…"],
  );

  for (const [verb, description] of [
    ["pause", "pause a schedule: no job until resume"],
    ["resume", "resume a paused schedule (missed times are not caught up)"],
  ] as const) {
    examples(
      schedules
        .command(verb)
        .argument(...idArgument)
        .description(description)
        .addOption(jsonOption())
        .action(
          act(io, async (context, id: string, flags: JsonFlags) => {
            const client = context.client();
            const answer =
              verb === "pause"
                ? await client.schedules.pauseSchedule({ params: { scheduleId: id } })
                : await client.schedules.resumeSchedule({ params: { scheduleId: id } });
            show(
              context,
              flags,
              answer.body.data,
              `${verb === "pause" ? "Paused" : "Resumed"} schedule ${id}`,
            );
          }),
        ),
      [`jobdeck schedules ${verb} 0190f7a0-…`],
    );
  }

  examples(
    schedules
      .command("trigger")
      .argument(...idArgument)
      .description("make one of its jobs now (also while paused)")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const job = (await context.client().schedules.triggerSchedule({ params: { scheduleId: id } })).body
            .data;
          if (flags.json) context.out.json(job);
          else
            context.out.line(
              `Created job ${job.id} (${job.type}, ${statusText(job.status, context.out.colors)})`,
            );
        }),
      ),
    ["jobdeck schedules trigger 0190f7a0-…"],
  );
  return examples(schedules, ["jobdeck schedules list", "jobdeck schedules trigger 0190f7a0-…"]);
}
