import { Popover } from "./popover";

/** `label` is what the reader sees when the value is a code ("rate_limit" reads "at a rate limit"). */
export type Option = { value: string; label?: string; description?: string };

type MultiSelectProps = {
  label: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
  /** Shown instead of the options while they load or when they failed to. */
  placeholder?: string;
};

/** "Type: all ▾" opening a list of checkboxes; the button names what is chosen. */
export function MultiSelect({ label, options, selected, onChange, placeholder }: MultiSelectProps) {
  // A chosen value the options do not list (an old link, a removed type) stays visible and removable.
  const all: Option[] = [
    ...options,
    ...selected.filter((v) => !options.some((o) => o.value === v)).map((value) => ({ value })),
  ];
  const labelOf = (value: string) => all.find((o) => o.value === value)?.label ?? value;
  const summary =
    selected.length === 0
      ? "all"
      : selected.length <= 2
        ? selected.map(labelOf).join(", ")
        : `${labelOf(selected[0] ?? "")} +${selected.length - 1}`;
  const toggle = (value: string, isChecked: boolean) =>
    onChange(isChecked ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <Popover
      label={
        <>
          {label}:{" "}
          <span className={selected.length > 0 ? "filter-value active" : "filter-value"}>{summary}</span>
        </>
      }
      buttonClassName={selected.length > 0 ? "filter-button active" : "filter-button"}
    >
      <fieldset className="checkbox-list">
        <legend>{label}</legend>
        {all.length === 0 && <p className="muted">{placeholder ?? "Nothing to choose from"}</p>}
        {all.map((option) => (
          <label key={option.value} title={option.description}>
            <input
              type="checkbox"
              checked={selected.includes(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            <span>{option.label ?? option.value}</span>
          </label>
        ))}
        {selected.length > 0 && (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear {label.toLowerCase()}
          </button>
        )}
      </fieldset>
    </Popover>
  );
}
