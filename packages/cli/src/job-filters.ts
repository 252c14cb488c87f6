import { JOB_STATUSES, SORT_FIELDS, SORT_ORDERS } from "@jobdeck/contract";
import { WAIT_REASONS } from "@jobdeck/contract";
import { Command, Option } from "commander";
import { collect, commaList, keyValue, timeMs } from "./input.js";

/** The flags of §5, §11–12 and §15's filter language, shared by list, watch, stats, bulk and export. */
export type JobFilterFlags = {
  type?: string[];
  status?: string[];
  resultType?: string[];
  queue?: string[];
  concurrencyKey?: string[];
  waitReason?: string[];
  scheduleId?: string[];
  batchId?: string[];
  tag?: string[];
  tagsAll?: string[];
  errorCode?: string[];
  idPrefix?: string;
  createdFrom?: string;
  createdTo?: string;
  metadata?: string[];
  filter?: string[];
};

export type SortFlags = { sortBy?: string; sortOrder?: string };

const LIST_HINT = "(a comma list, or repeat the flag)";

export function addJobFilterOptions(command: Command): Command {
  return command
    .option("--type <type>", `job type ${LIST_HINT}`, collect)
    .addOption(new Option("--status <status>", `${JOB_STATUSES.join("|")} ${LIST_HINT}`).argParser(collect))
    .option("--result-type <resultType>", `result type ${LIST_HINT}`, collect)
    .option("--queue <queue>", `queue ${LIST_HINT}`, collect)
    .option("--concurrency-key <key>", `concurrency key ${LIST_HINT}`, collect)
    .addOption(
      new Option("--wait-reason <reason>", `why a pending job waits: ${WAIT_REASONS.join("|")}`).argParser(
        collect,
      ),
    )
    .option("--schedule-id <id>", `made by this schedule ${LIST_HINT}`, collect)
    .option("--batch-id <id>", `created in this batch ${LIST_HINT}`, collect)
    .option("--tag <tag>", `has any of these tags ${LIST_HINT}`, collect)
    .option("--tags-all <tag>", `has all of these tags ${LIST_HINT}`, collect)
    .option("--error-code <code>", `failed with this error code ${LIST_HINT}`, collect)
    .option("--id-prefix <hex>", "id starts with (4–36 hex digits and dashes)")
    .option("--created-from <time>", "created at or after: ISO time, Unix ms, or an age (2h, 3d)")
    .option("--created-to <time>", "created at or before: ISO time, Unix ms, or an age")
    .option("--metadata <key=value>", "metadata.<key> equals value (repeatable)", collect)
    .option(
      "--filter <name=value>",
      "any list filter by its query name, e.g. payload.customer.id=42, result.ok=true (repeatable)",
      collect,
    );
}

export function addSortOptions(command: Command): Command {
  return command
    .addOption(new Option("--sort-by <field>", "sort field").choices(SORT_FIELDS))
    .addOption(new Option("--sort-order <order>", "desc (newest first) or asc").choices(SORT_ORDERS));
}

/** The query parameters the flags stand for, as the API takes them (strings). */
export function jobFilterQuery(flags: JobFilterFlags & SortFlags): Record<string, string> {
  const query: Record<string, string | undefined> = {
    type: commaList(flags.type),
    status: commaList(flags.status),
    resultType: commaList(flags.resultType),
    queue: commaList(flags.queue),
    concurrencyKey: commaList(flags.concurrencyKey),
    waitReason: commaList(flags.waitReason),
    scheduleId: commaList(flags.scheduleId),
    batchId: commaList(flags.batchId),
    tag: commaList(flags.tag),
    tagsAll: commaList(flags.tagsAll),
    errorCode: commaList(flags.errorCode),
    idPrefix: flags.idPrefix,
    createdFrom:
      flags.createdFrom === undefined ? undefined : String(timeMs(flags.createdFrom, "--created-from")),
    createdTo: flags.createdTo === undefined ? undefined : String(timeMs(flags.createdTo, "--created-to")),
    sortBy: flags.sortBy,
    sortOrder: flags.sortOrder,
  };
  for (const raw of flags.metadata ?? []) {
    const [key, value] = keyValue(raw, "--metadata");
    query[`metadata.${key}`] = value;
  }
  for (const raw of flags.filter ?? []) {
    const [name, value] = keyValue(raw, "--filter");
    query[name] = value;
  }
  return Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A word as a POSIX shell reads it back: as it is when that is safe, else in single quotes. */
export const shellWord = (word: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The flags that select what `query` (jobFilterQuery's answer) selects, for a command to print and
 * be copied: each filter by its own flag when it has one, `--metadata` and `--filter` otherwise.
 * Read from addJobFilterOptions, so a new filter flag is used here as soon as it exists.
 */
export function jobFilterArgs(query: Record<string, string>): string[] {
  const flagOf = new Map(
    addJobFilterOptions(new Command()).options.map((option) => [option.attributeName(), option.long]),
  );
  return Object.entries(query).flatMap(([name, value]) => {
    if (name === "sortBy" || name === "sortOrder") return [];
    if (name.startsWith("metadata.")) return ["--metadata", `${name.slice("metadata.".length)}=${value}`];
    const flag = name === "metadata" || name === "filter" ? undefined : flagOf.get(name);
    return flag ? [flag, value] : ["--filter", `${name}=${value}`];
  });
}
