import { isJobdeckError } from "@jobdeck/client";
import type { Queue, QueueSettings, RateLimit } from "@jobdeck/contract";
import { Command } from "commander";
import { act, examples, jsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { CommandExit, EXIT } from "../exit-codes.js";
import { timeText } from "../format.js";
import { limitOrNone, rateLimitOrNone } from "../input.js";
import type { Io } from "../output.js";
import { allPages } from "../paging.js";

const rate = (limit: RateLimit | null) => (limit === null ? "-" : `${limit.limit}/${limit.periodMs / 1000}s`);
const count = (value: number | null) => (value === null ? "-" : String(value));

function printQueue({ out }: Context, queue: Queue, etag?: string | null): void {
  out.fields([
    ["name", queue.name],
    ["paused", queue.isPaused ? out.colors.yellow("yes") : "no"],
    ["concurrency", count(queue.concurrency)],
    ["perKeyConcurrency", count(queue.perKeyConcurrency)],
    ["rateLimit", rate(queue.rateLimit)],
    ["perKeyRateLimit", rate(queue.perKeyRateLimit)],
    ["pending", String(queue.counts.pending)],
    ["running", String(queue.counts.running)],
    ["oldestPending", timeText(queue.oldestPendingAt, out.isTTY)],
    ["updated", timeText(queue.updatedAt, out.isTTY)],
    ...(etag ? ([["etag", etag]] as [string, string][]) : []),
  ]);
}

function showQueue(context: Context, flags: JsonFlags, queue: Queue, what: string): void {
  if (flags.json) context.out.json(queue);
  else context.out.line(what);
}

type SetFlags = JsonFlags & {
  concurrency?: string;
  perKeyConcurrency?: string;
  rateLimit?: string;
  perKeyRateLimit?: string;
};

/**
 * PUT takes all four settings: the flags given replace theirs, the others keep the queue's current
 * value, and If-Match makes sure nobody changed the queue in between (412 otherwise).
 */
async function setQueue(context: Context, name: string, flags: SetFlags): Promise<void> {
  const client = context.client();
  let current: QueueSettings = {
    concurrency: null,
    perKeyConcurrency: null,
    rateLimit: null,
    perKeyRateLimit: null,
  };
  let etag: string | undefined;
  try {
    const read = await client.queues.getQueue({ params: { name } });
    current = read.body.data;
    etag = read.headers.get("etag") ?? undefined;
  } catch (error) {
    if (!isJobdeckError(error, "NOT_FOUND")) throw error;
  }
  const settings: QueueSettings = {
    concurrency:
      flags.concurrency === undefined ? current.concurrency : limitOrNone(flags.concurrency, "--concurrency"),
    perKeyConcurrency:
      flags.perKeyConcurrency === undefined
        ? current.perKeyConcurrency
        : limitOrNone(flags.perKeyConcurrency, "--per-key-concurrency"),
    rateLimit:
      flags.rateLimit === undefined ? current.rateLimit : rateLimitOrNone(flags.rateLimit, "--rate-limit"),
    perKeyRateLimit:
      flags.perKeyRateLimit === undefined
        ? current.perKeyRateLimit
        : rateLimitOrNone(flags.perKeyRateLimit, "--per-key-rate-limit"),
  };
  try {
    const put = await client.queues.putQueue({
      params: { name },
      body: settings,
      ...(etag === undefined ? {} : { headers: { "if-match": etag } }),
    });
    showQueue(
      context,
      flags,
      put.body.data,
      `Set queue ${name}: concurrency ${count(settings.concurrency)}, per key ${count(settings.perKeyConcurrency)}, rate ${rate(settings.rateLimit)}, per-key rate ${rate(settings.perKeyRateLimit)}`,
    );
  } catch (error) {
    if (isJobdeckError(error, "PRECONDITION_FAILED")) {
      throw new CommandExit(
        EXIT.apiError,
        `Queue ${name} changed while it was being set: run the command again.`,
      );
    }
    throw error;
  }
}

export function queuesCommand(io: Io): Command {
  const queues = new Command("queues").description(
    "queues: their limits, pause switch and what waits in them (§11)",
  );

  examples(
    queues
      .command("list")
      .alias("ls")
      .description("every queue, by name")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) => {
          const client = context.client();
          const all = await allPages((query) => client.queues.listQueues({ query }));
          if (flags.json) return context.out.json(all);
          const { out } = context;
          out.table(
            [
              "NAME",
              "PAUSED",
              "CONCURRENCY",
              "PER KEY",
              "RATE",
              "PER-KEY RATE",
              "PENDING",
              "RUNNING",
              "OLDEST PENDING",
            ],
            all.map((queue) => [
              queue.name,
              queue.isPaused ? out.colors.yellow("paused") : "-",
              count(queue.concurrency),
              count(queue.perKeyConcurrency),
              rate(queue.rateLimit),
              rate(queue.perKeyRateLimit),
              String(queue.counts.pending),
              String(queue.counts.running),
              timeText(queue.oldestPendingAt, out.isTTY),
            ]),
          );
        }),
      ),
    ["jobdeck queues list", "jobdeck queues list --json | jq '.[] | select(.isPaused)'"],
  );

  examples(
    queues
      .command("get")
      .argument("<name>", "the queue's name")
      .description("one queue's settings, counts and ETag")
      .addOption(jsonOption())
      .action(
        act(io, async (context, name: string, flags: JsonFlags) => {
          const read = await context.client().queues.getQueue({ params: { name } });
          if (flags.json) context.out.json(read.body.data);
          else printQueue(context, read.body.data, read.headers.get("etag"));
        }),
      ),
    ["jobdeck queues get emails"],
  );

  examples(
    queues
      .command("set")
      .argument("<name>", "the queue's name (created when new)")
      .description("change a queue's limits; the flags not given keep their value")
      .option("--concurrency <n|none>", "running jobs of the queue at once")
      .option("--per-key-concurrency <n|none>", "running jobs per concurrency key at once")
      .option("--rate-limit <n/period|none>", "starts per window, such as 100/1m")
      .option("--per-key-rate-limit <n/period|none>", "starts per key per window, such as 10/1s")
      .addOption(jsonOption())
      .action(act(io, setQueue)),
    [
      "jobdeck queues set emails --concurrency 10 --rate-limit 100/1m",
      "jobdeck queues set emails --rate-limit none",
    ],
  );

  for (const [verb, isPausing] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    examples(
      queues
        .command(verb)
        .argument("<name>", "the queue's name")
        .description(
          isPausing ? "pause a queue: none of its jobs starts until resume" : "resume a paused queue",
        )
        .addOption(jsonOption())
        .action(
          act(io, async (context, name: string, flags: JsonFlags) => {
            const client = context.client();
            const answer = isPausing
              ? await client.queues.pauseQueue({ params: { name } })
              : await client.queues.resumeQueue({ params: { name } });
            showQueue(context, flags, answer.body.data, `${isPausing ? "Paused" : "Resumed"} queue ${name}`);
          }),
        ),
      [`jobdeck queues ${verb} emails`],
    );
  }
  return examples(queues, [
    "jobdeck queues list",
    "jobdeck queues set emails --concurrency 5 --rate-limit 100/1m",
  ]);
}
