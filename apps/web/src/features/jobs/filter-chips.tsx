import { parseFilterValue, TAG_PATTERN } from "@jobdeck/contract";
import { useId, useMemo, useState } from "react";
import { Popover } from "../../components/popover";
import { schemaPaths, schemaValuesAt } from "../../lib/json-schema";
import {
  describeFieldFilter,
  fieldFilterName,
  fieldFilterProblem,
  sortFieldFilters,
  type FieldFilter,
  type FieldFilterKind,
} from "./field-filters";
import type { ViewFilters } from "./list-state";

/** What a job type publishes that the suggestions read: its payload schema (and a result schema, if one). */
export type SchemaSource = { type: string; payloadSchema?: unknown; resultSchema?: unknown };

type ChipKind = FieldFilterKind | "tag";

const KIND_LABELS: Record<ChipKind, string> = {
  payload: "Payload path",
  result: "Result path",
  metadata: "Metadata key",
  tag: "Tag",
};

type FilterChipsProps = {
  filters: ViewFilters;
  onChange: (patch: Pick<ViewFilters, "tags" | "fields">) => void;
  /** Registered job types; undefined while they load. */
  jobTypes: SchemaSource[] | undefined;
};

/**
 * The view's tag and field filters as removable chips (`tag: nightly`, `payload.user.id = 42`), and
 * "Add filter" to make one. All chips apply together: a job must match each field filter and any
 * one of the tags.
 */
export function FilterChips({ filters, onChange, jobTypes }: FilterChipsProps) {
  const chips = [
    ...filters.tags.map((tag) => ({
      id: `tag:${tag}`,
      label: `tag: ${tag}`,
      remove: () => onChange({ tags: filters.tags.filter((other) => other !== tag), fields: filters.fields }),
    })),
    ...filters.fields.map((filter) => ({
      id: fieldFilterName(filter),
      label: describeFieldFilter(filter),
      remove: () =>
        onChange({ tags: filters.tags, fields: filters.fields.filter((other) => other !== filter) }),
    })),
  ];
  return (
    <div className="filter-chips">
      {chips.length > 0 && (
        <ul className="value-chips" aria-label="Tag and field filters">
          {chips.map((chip) => (
            <li key={chip.id} className="value-chip">
              <span className="value-chip-label" title={chip.label}>
                {chip.label}
              </span>
              <button
                type="button"
                className="value-chip-remove"
                aria-label={`Remove filter ${chip.label}`}
                onClick={chip.remove}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <Popover label="Add filter">
        <AddFilterForm
          jobTypes={jobTypes}
          selectedTypes={filters.types}
          onAdd={(added) =>
            added.kind === "tag"
              ? onChange({ tags: [...new Set([...filters.tags, added.value])], fields: filters.fields })
              : onChange({ tags: filters.tags, fields: sortFieldFilters([...filters.fields, added]) })
          }
        />
      </Popover>
    </div>
  );
}

/**
 * The paths to suggest for a kind: from the payload (or result) schema of the chosen types, or of
 * every type when none is chosen. Metadata keys are free-form: nothing to suggest.
 */
export function suggestedPaths(
  kind: ChipKind,
  jobTypes: SchemaSource[] | undefined,
  selectedTypes: readonly string[],
): string[] {
  if (kind !== "payload" && kind !== "result") return [];
  const types = (jobTypes ?? []).filter(
    (jobType) => selectedTypes.length === 0 || selectedTypes.includes(jobType.type),
  );
  const paths = new Set<string>();
  for (const jobType of types) {
    const schema = kind === "payload" ? jobType.payloadSchema : jobType.resultSchema;
    for (const path of schemaPaths(schema)) paths.add(path);
  }
  return [...paths].sort();
}

/** A value as a filter is typed: text as it is when it reads as a string, JSON otherwise (`"3"`, `true`). */
export function filterText(value: unknown): string {
  return typeof value === "string" && parseFilterValue(value) === value ? value : JSON.stringify(value);
}

/** The values the schemas name at a path (an enum, a const, true and false), as a filter is typed. */
export function suggestedValues(
  kind: ChipKind,
  path: string,
  jobTypes: SchemaSource[] | undefined,
  selectedTypes: readonly string[],
): string[] {
  if (kind !== "payload" && kind !== "result") return [];
  const texts = new Set<string>();
  for (const jobType of jobTypes ?? []) {
    if (selectedTypes.length > 0 && !selectedTypes.includes(jobType.type)) continue;
    const schema = kind === "payload" ? jobType.payloadSchema : jobType.resultSchema;
    for (const value of schemaValuesAt(schema, path)) texts.add(filterText(value));
  }
  return [...texts];
}

function suggestionHint(kind: ChipKind, count: number, selectedTypes: readonly string[]): string {
  const whose = selectedTypes.length === 0 ? "every job type" : selectedTypes.join(", ");
  if (kind === "metadata") return "Metadata keys: 1–64 characters of A–Z, a–z, 0–9, _, . or -.";
  if (count === 0 && kind === "result")
    return `No result schema is published for ${whose}: type the path (names joined by dots).`;
  if (count === 0)
    return `No payload paths are published for ${whose}: type the path (names joined by dots).`;
  return `${count} ${count === 1 ? "path" : "paths"} from the ${kind} schema of ${whose}; up to 8 names joined by dots.`;
}

function AddFilterForm({
  jobTypes,
  selectedTypes,
  onAdd,
}: {
  jobTypes: SchemaSource[] | undefined;
  selectedTypes: readonly string[];
  onAdd: (filter: FieldFilter | { kind: "tag"; value: string }) => void;
}) {
  const [kind, setKind] = useState<ChipKind>("payload");
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string>();
  const ids = {
    kind: useId(),
    key: useId(),
    list: useId(),
    keyHelp: useId(),
    value: useId(),
    valueList: useId(),
    valueHelp: useId(),
  };
  const suggestions = useMemo(
    () => suggestedPaths(kind, jobTypes, selectedTypes),
    [kind, jobTypes, selectedTypes],
  );
  const trimmed = key.trim();
  const values = useMemo(
    () => suggestedValues(kind, trimmed, jobTypes, selectedTypes),
    [kind, trimmed, jobTypes, selectedTypes],
  );

  const submit = () => {
    if (kind === "tag") {
      const tag = value.trim();
      if (!TAG_PATTERN.test(tag)) {
        setProblem("A tag is 1–64 characters of A–Z, a–z, 0–9 and : _ . / -");
        return;
      }
      onAdd({ kind, value: tag });
    } else {
      const filter: FieldFilter = { kind, key: trimmed, value };
      const refusal = fieldFilterProblem(filter);
      if (refusal) {
        setProblem(refusal);
        return;
      }
      onAdd(filter);
    }
    setProblem(undefined);
    setKey("");
    setValue("");
  };

  return (
    <form
      className="add-filter"
      aria-label="Add a filter"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={ids.kind}>Filter on</label>
      <select
        id={ids.kind}
        value={kind}
        onChange={(event) => {
          setKind(event.target.value as ChipKind);
          setProblem(undefined);
        }}
      >
        {(Object.keys(KIND_LABELS) as ChipKind[]).map((one) => (
          <option key={one} value={one}>
            {KIND_LABELS[one]}
          </option>
        ))}
      </select>
      {kind !== "tag" && (
        <>
          <label htmlFor={ids.key}>{KIND_LABELS[kind]}</label>
          <input
            id={ids.key}
            list={suggestions.length > 0 ? ids.list : undefined}
            // An input with a datalist is a combobox; said outright, since not every tool infers it.
            role="combobox"
            aria-autocomplete="list"
            aria-describedby={ids.keyHelp}
            autoComplete="off"
            spellCheck={false}
            value={key}
            placeholder={kind === "metadata" ? "team" : "user.id"}
            onChange={(event) => setKey(event.target.value)}
          />
          <datalist id={ids.list}>
            {suggestions.map((path) => (
              <option key={path} value={path} />
            ))}
          </datalist>
          <p id={ids.keyHelp} className="muted small">
            {suggestionHint(kind, suggestions.length, selectedTypes)}
          </p>
        </>
      )}
      <label htmlFor={ids.value}>{kind === "tag" ? "Tag" : "Value"}</label>
      <input
        id={ids.value}
        // Values the schema names (an enum, true/false) are offered; any other may be typed.
        role={kind === "tag" ? undefined : "combobox"}
        aria-autocomplete={kind === "tag" ? undefined : "list"}
        list={values.length > 0 ? ids.valueList : undefined}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={ids.valueHelp}
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <datalist id={ids.valueList}>
        {values.map((text) => (
          <option key={text} value={text} />
        ))}
      </datalist>
      <p id={ids.valueHelp} className="muted small">
        {kind === "tag"
          ? "Jobs with any of the chosen tags (case-sensitive)."
          : 'Exact match: 3 is the number, "3" (quoted) the string, true the boolean; other text is a string.'}
      </p>
      {problem && (
        <p className="problem-text" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button small primary">
        Add
      </button>
    </form>
  );
}
