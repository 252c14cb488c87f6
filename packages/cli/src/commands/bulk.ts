import { newIdempotencyKey } from "@jobdeck/client";
import {
  BULK_ACTIONS,
  isBulkOperationEnded,
  type BulkAction,
  type BulkOperation,
  type CreateBulkOperationBody,
} from "@jobdeck/contract";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { act, examples, jsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { CommandExit, EXIT, UsageError } from "../exit-codes.js";
import { timeText } from "../format.js";
import { collect } from "../input.js";
import { addJobFilterOptions, jobFilterQuery, type JobFilterFlags } from "../job-filters.js";
import type { Io } from "../output.js";
import { allPages } from "../paging.js";

type BulkFlags = JobFilterFlags &
  JsonFlags & { id?: string[]; dryRun?: boolean; everyJob?: boolean; wait: boolean; idempotencyKey?: string };

const PAST: Record<BulkAction, string> = { cancel: "Cancelled", retry: "Retried", delete: "Deleted" };
const POLL_MS = 1_000;

function summary(operation: BulkOperation): string {
  return `${PAST[operation.action]} ${operation.succeeded} of ${operation.matched} matched jobs (${operation.skipped} skipped), operation ${operation.id} ${operation.status}`;
}

/**
 * Follows an operation until it ends: `bulk-operation` events as they come (at least one a second
 * while it runs), and a read every second besides, so a stream that cannot be opened only slows
 * the bar down. On a terminal a progress bar on stderr shows processed of matched.
 */
async function follow(context: Context, started: BulkOperation): Promise<BulkOperation> {
  const client = context.client();
  const stop = new AbortController();
  const isTTY = context.io.stderr.isTTY === true;
  const bar = isTTY
    ? new SingleBar({
        format: `${started.action} [{bar}] {percentage}% | {value}/{total} jobs | {succeeded} done, {skipped} skipped`,
        stream: context.io.stderr,
        hideCursor: true,
      })
    : undefined;
  bar?.start(Math.max(started.matched, 1), started.processed, {
    succeeded: started.succeeded,
    skipped: started.skipped,
  });
  let latest = started;
  let settle: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (settle = resolve));
  const update = (operation: BulkOperation) => {
    if (operation.id !== started.id || operation.processed < latest.processed) return;
    latest = operation;
    bar?.setTotal(Math.max(operation.matched, 1));
    bar?.update(operation.processed, { succeeded: operation.succeeded, skipped: operation.skipped });
    if (isBulkOperationEnded(operation.status)) settle();
  };
  update(started);
  client.events.subscribe({ signal: stop.signal, onBulkOperation: update });
  const poll = setInterval(() => {
    client.bulkOperations
      .getBulkOperation({ params: { id: started.id }, fetchOptions: { signal: stop.signal } })
      .then(({ body }) => update(body.data))
      .catch(() => undefined);
  }, POLL_MS);
  const onSignal = () => settle();
  const stopListening = context.io.onInterrupt(onSignal);
  try {
    await ended;
  } finally {
    stopListening();
    clearInterval(poll);
    stop.abort();
    bar?.stop();
  }
  if (!isBulkOperationEnded(latest.status)) {
    throw new CommandExit(
      EXIT.apiError,
      `Stopped following; operation ${latest.id} goes on (jobdeck bulk get ${latest.id}, or jobdeck bulk stop ${latest.id}).`,
    );
  }
  return latest;
}

async function runBulk(context: Context, action: BulkAction, flags: BulkFlags): Promise<void> {
  const { out } = context;
  const filter = jobFilterQuery(flags);
  const hasFilter = Object.keys(filter).length > 0;
  if (flags.id !== undefined && hasFilter) throw new UsageError("give either --id or filters, not both");
  if (flags.id === undefined && !hasFilter && !flags.everyJob && !flags.dryRun) {
    throw new UsageError(
      `no filter given: add filters (--status failed, …), --id, or --every-job to ${action} every one of your jobs`,
    );
  }
  const body: CreateBulkOperationBody = {
    action,
    ...(flags.id === undefined ? { filter } : { ids: flags.id.flatMap((id) => id.split(",")) }),
    ...(flags.dryRun ? { dryRun: true as const } : {}),
  };
  const answer = await context.client().bulkOperations.createBulkOperation({
    body,
    // One key for this command's request, the same for every repeat of it: the operation runs once.
    headers: { "idempotency-key": flags.idempotencyKey ?? newIdempotencyKey() },
  });
  if (answer.status === 200) {
    if (flags.json) out.json(answer.body.data);
    else out.line(`${answer.body.data.matched} jobs match; nothing was changed (dry run)`);
    return;
  }
  const started = answer.body.data;
  if (!flags.wait) {
    if (flags.json) out.json(started);
    else out.line(`Started operation ${started.id}: ${action} of ${started.matched} matched jobs`);
    return;
  }
  const done = await follow(context, started);
  if (flags.json) out.json(done);
  else out.line(summary(done));
  if (done.status === "failed") throw new CommandExit(EXIT.apiError, `Operation ${done.id} failed.`);
}

export function bulkCommand(io: Io): Command {
  const bulk = new Command("bulk").description(
    "cancel, retry or delete every job a filter selects (§15), with progress",
  );

  for (const action of BULK_ACTIONS) {
    const what = {
      cancel: "cancel pending and running jobs",
      retry: "retry ended jobs",
      delete: "delete ended jobs with their logs and artifacts",
    }[action];
    examples(
      addJobFilterOptions(bulk.command(action).description(`${what} that the filters or ids select`))
        .option(
          "--id <id>",
          "act on these jobs instead of a filter (repeatable, or a comma list; at most 1,000)",
          collect,
        )
        .option("--dry-run", "only count the jobs it would act on")
        .option("--every-job", "with no filter: really every one of your jobs")
        .option("--no-wait", "start it and return; follow with jobdeck bulk get ID")
        .option("--idempotency-key <key>", "run at most once per key within 24 hours (default: a new key)")
        .addOption(jsonOption())
        .action(act(io, (context, flags: BulkFlags) => runBulk(context, action, flags))),
      [
        `jobdeck bulk ${action} --status ${action === "cancel" ? "pending" : "failed"} --type http.request --dry-run`,
        `jobdeck bulk ${action} --tag batch:7 --created-from 1d`,
      ],
    );
  }

  examples(
    bulk
      .command("list")
      .alias("ls")
      .description("bulk operations, newest first")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) => {
          const client = context.client();
          const all = await allPages((query) => client.bulkOperations.listBulkOperations({ query }));
          if (flags.json) return context.out.json(all);
          context.out.table(
            ["ID", "ACTION", "STATUS", "MATCHED", "PROCESSED", "SUCCEEDED", "SKIPPED", "CREATED"],
            all.map((operation) => [
              operation.id,
              operation.action,
              operation.status,
              String(operation.matched),
              String(operation.processed),
              String(operation.succeeded),
              String(operation.skipped),
              timeText(operation.createdAt, context.out.isTTY),
            ]),
          );
        }),
      ),
    ["jobdeck bulk list"],
  );

  examples(
    bulk
      .command("get")
      .argument("<id>", "the operation's id")
      .description("one bulk operation and its counts")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const operation = (await context.client().bulkOperations.getBulkOperation({ params: { id } })).body
            .data;
          if (flags.json) context.out.json(operation);
          else context.out.line(summary(operation));
        }),
      ),
    ["jobdeck bulk get 0190f7a0-…"],
  );

  examples(
    bulk
      .command("stop")
      .argument("<id>", "the operation's id")
      .description("stop a running operation before its next job (it keeps its counts)")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const operation = (await context.client().bulkOperations.cancelBulkOperation({ params: { id } }))
            .body.data;
          if (flags.json) context.out.json(operation);
          else context.out.line(summary(operation));
        }),
      ),
    ["jobdeck bulk stop 0190f7a0-…"],
  );
  return examples(bulk, [
    "jobdeck bulk retry --status failed --dry-run",
    "jobdeck bulk delete --status completed --created-to 30d",
  ]);
}
