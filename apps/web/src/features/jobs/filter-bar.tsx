import { JOB_STATUSES, RESULT_TYPES, WAIT_REASONS, type JobStatus, type WaitReason } from "@jobdeck/contract";
import { MultiSelect, type Option } from "../../components/multi-select";
import { Popover } from "../../components/popover";
import { formatTime, fromDateTimeLocal, toDateTimeLocal } from "../../lib/format";
import {
  CREATED_PRESETS,
  EMPTY_FILTERS,
  hasActiveFilters,
  type CreatedPreset,
  type ViewFilters,
} from "./list-state";
import { WAIT_REASON_LABELS } from "./wait-explanation";

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
  /** Registered job types; undefined while they load. */
  jobTypes: { type: string; resultType: string; description: string }[] | undefined;
  /** Jobs per status under the other filters, when the server can count them. */
  statusCounts: Record<JobStatus, number> | undefined;
  /** The reader's queue names (the first page of them); undefined while they load. */
  queueNames: string[] | undefined;
};

export function FilterBar({ filters, onChange, jobTypes, statusCounts, queueNames }: FilterBarProps) {
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
        label="Result"
        options={resultTypes.map((value) => ({ value }))}
        selected={filters.resultTypes}
        onChange={(resultTypes) => set({ resultTypes })}
      />
      <CreatedFilter filters={filters} onChange={set} />
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
