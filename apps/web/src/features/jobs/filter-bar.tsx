import { JOB_STATUSES, RESULT_TYPES, WAIT_REASONS, type JobStatus, type WaitReason } from "@jobdeck/contract";
import { MultiSelect, type Option } from "../../components/multi-select";
import { Popover } from "../../components/popover";
import { useId, useState } from "react";
import { formatTime, fromDateTimeLocal, shortId, toDateTimeLocal } from "../../lib/format";
import {
  CREATED_PRESETS,
  EMPTY_FILTERS,
  hasActiveFilters,
  type CreatedPreset,
  type ViewFilters,
} from "./list-state";
import { FilterChips, type SchemaSource } from "./filter-chips";
import { WAIT_REASON_LABELS } from "./wait-reason-labels";

const WAIT_OPTIONS: Option[] = WAIT_REASONS.map((reason) => ({
  value: reason,
  label: WAIT_REASON_LABELS[reason],
  description: `Pending jobs whose waitReason is ${reason}`,
}));
const isWaitReason = (value: string): value is WaitReason =>
  (WAIT_REASONS as readonly string[]).includes(value);

type FilterBarProps = {
  filters: ViewFilters;
  onChange: (filters: ViewFilters) => void;
  /** Registered job types (their schemas suggest filter paths); undefined while they load. */
  jobTypes: (SchemaSource & { resultType: string; description: string })[] | undefined;
  /** Jobs per status under the other filters, when the server can count them. */
  statusCounts: Record<JobStatus, number> | undefined;
  /** The reader's queue names (the first page of them); undefined while they load. */
  queueNames: string[] | undefined;
  /** The reader's schedules (the first page of them); undefined while they load. */
  schedules: { id: string; name: string }[] | undefined;
};

export function FilterBar({
  filters,
  onChange,
  jobTypes,
  statusCounts,
  queueNames,
  schedules,
}: FilterBarProps) {
  const set = (patch: Partial<ViewFilters>) => onChange({ ...filters, ...patch });
  const typeOptions: Option[] = (jobTypes ?? []).map((t) => ({ value: t.type, description: t.description }));
  const resultTypes = [...new Set([...RESULT_TYPES, ...(jobTypes ?? []).map((t) => t.resultType)])].sort();
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <MultiSelect
        label="Type"
        options={typeOptions}
        selected={filters.types}
        onChange={(types) => set({ types })}
        placeholder={jobTypes ? "No job types registered" : "Loading job types…"}
      />
      <fieldset className="status-filter">
        <legend className="visually-hidden">Status</legend>
        {JOB_STATUSES.map((status) => {
          const count = statusCounts?.[status];
          return (
            <label key={status} className={`chip chip-${status}`}>
              <input
                type="checkbox"
                aria-label={status}
                aria-describedby={count === undefined ? undefined : `status-count-${status}`}
                checked={filters.statuses.includes(status)}
                onChange={(event) =>
                  set({
                    statuses: event.target.checked
                      ? [...filters.statuses, status]
                      : filters.statuses.filter((s) => s !== status),
                  })
                }
              />
              <span aria-hidden="true">{status}</span>
              {count !== undefined && (
                <span className="chip-count" id={`status-count-${status}`}>
                  <span className="visually-hidden">{count === 1 ? "1 job" : `${count} jobs`}</span>
                  <span aria-hidden="true">{count.toLocaleString()}</span>
                </span>
              )}
            </label>
          );
        })}
      </fieldset>
      <MultiSelect
        label="Queue"
        options={(queueNames ?? []).map((value) => ({ value }))}
        selected={filters.queues}
        onChange={(queues) => set({ queues })}
        placeholder={queueNames ? "No queues yet" : "Loading queues…"}
      />
      <MultiSelect
        label="Waiting"
        options={WAIT_OPTIONS}
        selected={filters.waitReasons}
        onChange={(values) => set({ waitReasons: values.filter(isWaitReason) })}
      />
      <MultiSelect
        label="Schedule"
        options={(schedules ?? []).map((schedule) => ({
          value: schedule.id,
          label: schedule.name,
          description: `Jobs made by schedule ${schedule.name}`,
        }))}
        selected={filters.scheduleIds}
        onChange={(scheduleIds) => set({ scheduleIds })}
        placeholder={schedules ? "No schedules yet" : "Loading schedules…"}
      />
      <IdFilter
        label="Batch"
        ids={filters.batchIds}
        onChange={(batchIds) => set({ batchIds })}
        help="The batchId that POST /v1/jobs/batch answered, or that a job's page shows."
      />
      <IdFilter
        label="Tag"
        inputLabel="Tag"
        short={asWritten}
        ids={filters.tags}
        onChange={(tags) => set({ tags })}
        help="Jobs with any of these tags (case-sensitive), as given on create."
      />
      <IdFilter
        label="Error code"
        inputLabel="Error code"
        short={asWritten}
        ids={filters.errorCodes}
        onChange={(errorCodes) => set({ errorCodes })}
        help="Failed jobs whose error.code is any of these (HTTP_503, TIMEOUT, …)."
      />
      <MultiSelect
        label="Result"
        options={resultTypes.map((value) => ({ value }))}
        selected={filters.resultTypes}
        onChange={(resultTypes) => set({ resultTypes })}
      />
      <CreatedFilter filters={filters} onChange={set} />
      <FilterChips filters={filters} onChange={set} jobTypes={jobTypes} />
      {hasActiveFilters(filters) && (
        <button type="button" className="link-button" onClick={() => onChange(EMPTY_FILTERS)}>
          Clear all filters
        </button>
      )}
    </div>
  );
}

/** The picker has minute precision: "to 10:00" includes every job of that minute. */
function endOfMinute(value: string): number | undefined {
  const ms = fromDateTimeLocal(value);
  return ms === undefined ? undefined : ms + 59_999;
}

function createdSummary(filters: ViewFilters): string {
  if (filters.createdPreset) return CREATED_PRESETS[filters.createdPreset].label.toLowerCase();
  const { createdFrom: from, createdTo: to } = filters;
  if (from !== undefined && to !== undefined)
    return `${formatTime(new Date(from).toISOString())} – ${formatTime(new Date(to).toISOString())}`;
  if (from !== undefined) return `since ${formatTime(new Date(from).toISOString())}`;
  if (to !== undefined) return `until ${formatTime(new Date(to).toISOString())}`;
  return "any time";
}

function CreatedFilter({
  filters,
  onChange,
}: {
  filters: ViewFilters;
  onChange: (patch: Partial<ViewFilters>) => void;
}) {
  const isActive =
    filters.createdPreset !== undefined ||
    filters.createdFrom !== undefined ||
    filters.createdTo !== undefined;
  const choosePreset = (preset: CreatedPreset | undefined) =>
    onChange({ createdPreset: preset, createdFrom: undefined, createdTo: undefined });
  return (
    <Popover
      label={
        <>
          Created:{" "}
          <span className={isActive ? "filter-value active" : "filter-value"}>{createdSummary(filters)}</span>
        </>
      }
      buttonClassName={isActive ? "filter-button active" : "filter-button"}
    >
      <fieldset className="created-filter">
        <legend>Created</legend>
        <div className="preset-row">
          {(Object.keys(CREATED_PRESETS) as CreatedPreset[]).map((preset) => (
            <button
              key={preset}
              type="button"
              className="chip-button"
              aria-pressed={filters.createdPreset === preset}
              onClick={() => choosePreset(preset)}
            >
              {CREATED_PRESETS[preset].label}
            </button>
          ))}
          <button
            type="button"
            className="chip-button"
            aria-pressed={!isActive}
            onClick={() => choosePreset(undefined)}
          >
            Any time
          </button>
        </div>
        <label>
          From
          <input
            type="datetime-local"
            aria-label="Created from"
            value={toDateTimeLocal(filters.createdFrom)}
            max={toDateTimeLocal(filters.createdTo)}
            onChange={(event) =>
              onChange({ createdPreset: undefined, createdFrom: fromDateTimeLocal(event.target.value) })
            }
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            aria-label="Created to"
            value={toDateTimeLocal(filters.createdTo)}
            min={toDateTimeLocal(filters.createdFrom)}
            onChange={(event) =>
              onChange({ createdPreset: undefined, createdTo: endOfMinute(event.target.value) })
            }
          />
        </label>
        <p className="muted small">
          Local time ({Intl.DateTimeFormat().resolvedOptions().timeZone}). Both ends included.
        </p>
      </fieldset>
    </Popover>
  );
}

/**
 * Ids typed or pasted (a batch has no name to choose from): each one added is a value of the filter,
 * removable on its own. The list answers an id that matches nothing with no rows, as it does for a
 * queue no job is in.
 */
/** A tag or a code reads as written, cut short on the button. */
const asWritten = (value: string) => (value.length > 20 ? `${value.slice(0, 19)}…` : value);

function IdFilter({
  label,
  inputLabel = `${label} id`,
  short = shortId,
  ids,
  onChange,
  help,
}: {
  label: string;
  /** The text field's label: "Batch id" unless said. */
  inputLabel?: string;
  /** How a value reads on the button: an id's last characters unless said. */
  short?: (value: string) => string;
  ids: string[];
  onChange: (ids: string[]) => void;
  help: string;
}) {
  const [draft, setDraft] = useState("");
  const fieldIds = { input: useId(), help: useId() };
  const summary =
    ids.length === 0
      ? "all"
      : ids.length === 1
        ? short(ids[0] ?? "")
        : `${short(ids[0] ?? "")} +${ids.length - 1}`;
  const add = () => {
    const values = draft
      .split(/[\s,]+/)
      .map((value) => value.trim())
      .filter((value) => value.length > 0 && value.length <= 100);
    if (values.length > 0) onChange([...new Set([...ids, ...values])]);
    setDraft("");
  };
  return (
    <Popover
      label={
        <>
          {label}: <span className={ids.length > 0 ? "filter-value active" : "filter-value"}>{summary}</span>
        </>
      }
      buttonClassName={ids.length > 0 ? "filter-button active" : "filter-button"}
    >
      <fieldset className="id-filter">
        <legend>{label}</legend>
        <form
          className="id-filter-add"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <label htmlFor={fieldIds.input}>{inputLabel}</label>
          <input
            id={fieldIds.input}
            value={draft}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={fieldIds.help}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="button small">
            Add
          </button>
        </form>
        <p id={fieldIds.help} className="muted small">
          {help}
        </p>
        {ids.length > 0 && (
          <ul className="id-filter-values">
            {ids.map((id) => (
              <li key={id}>
                <code>{id}</code>{" "}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${label.toLowerCase()} ${id}`}
                  onClick={() => onChange(ids.filter((other) => other !== id))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
    </Popover>
  );
}
