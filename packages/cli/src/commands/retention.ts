import { RETENTION_DAYS_MAX, type Retention } from "@jobdeck/contract";
import { Command } from "commander";
import { act, examples, jsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { integer } from "../input.js";
import type { Io } from "../output.js";

const STATUSES = ["completed", "failed", "cancelled"] as const;

type SetFlags = JsonFlags & Partial<Record<(typeof STATUSES)[number], string>>;

/** Days, or `never` for null: kept forever. */
function daysOrNever(raw: string, flag: string): number | null {
  return raw === "never" ? null : integer(raw, flag, 0, RETENTION_DAYS_MAX);
}

const daysText = (days: number | null) =>
  days === null ? "never deleted" : days === 0 ? "deleted at the next sweep" : `${days} days`;

function showRetention({ out }: Context, flags: JsonFlags, retention: Retention): void {
  if (flags.json) return out.json(retention);
  out.fields(STATUSES.map((status) => [status, daysText(retention[status])]));
}

/**
 * PUT takes all three: the flags given replace theirs, the others keep the current setting (read
 * first). The API has no ETag for it, so a change made by someone else between the read and the
 * write to a status not given here is overwritten with what was read.
 */
async function setRetention(context: Context, flags: SetFlags): Promise<void> {
  const given = STATUSES.filter((status) => flags[status] !== undefined);
  if (given.length === 0) {
    throw new UsageError("nothing to set: give --completed, --failed and/or --cancelled (days, or never)");
  }
  const changes = Object.fromEntries(
    given.map((status) => [status, daysOrNever(flags[status]!, `--${status}`)]),
  ) as Partial<Retention>;
  const client = context.client();
  const current =
    given.length === STATUSES.length ? undefined : (await client.retention.getRetention()).body.data;
  const body: Retention = {
    completed: null,
    failed: null,
    cancelled: null,
    ...current,
    ...changes,
  };
  const stored = (await client.retention.putRetention({ body })).body.data;
  showRetention(context, flags, stored);
}

export function retentionCommand(io: Io): Command {
  const retention = new Command("retention").description(
    "how long your ended jobs are kept, per final status (§15); older ones are deleted by the sweep",
  );

  examples(
    retention
      .command("get")
      .description("the current setting: days per final status, or never deleted")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) =>
          showRetention(context, flags, (await context.client().retention.getRetention()).body.data),
        ),
      ),
    ["jobdeck retention get", "jobdeck retention get --json | jq .failed"],
  );

  const hint = `days after finishing, 0–${RETENTION_DAYS_MAX} (0 = at the next sweep), or never`;
  examples(
    retention
      .command("set")
      .description(
        "change how long ended jobs are kept: the statuses given change, the others keep their current value",
      )
      .option("--completed <days|never>", `completed jobs: ${hint}`)
      .option("--failed <days|never>", `failed jobs: ${hint}`)
      .option("--cancelled <days|never>", `cancelled jobs: ${hint}`)
      .addOption(jsonOption())
      .addHelpText(
        "after",
        "\nA status not given keeps its current value, read just before the write.\nDeleted jobs cannot be brought back.",
      )
      .action(act(io, setRetention)),
    [
      "jobdeck retention set --completed 7 --failed 30 --cancelled 0",
      "jobdeck retention set --failed never   # keep failed jobs forever; the others unchanged",
    ],
  );

  return examples(retention, ["jobdeck retention get", "jobdeck retention set --completed 7"]);
}
