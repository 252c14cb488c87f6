/**
 * A JSON value as a tree of native disclosure widgets (<details>), so every object and array folds
 * by mouse or keyboard with nothing to learn. Large containers render their first children and a
 * button for the rest, so a 10 MB payload does not freeze the page.
 */
import { useState } from "react";

const CHILDREN_PAGE = 100;

type JsonTreeProps = {
  value: unknown;
  /** Levels open at first; deeper ones start folded. */
  openDepth?: number;
};

export function JsonTree({ value, openDepth = 2 }: JsonTreeProps) {
  return (
    <div className="json-tree">
      <JsonNode name={undefined} value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

type NodeProps = { name: string | undefined; value: unknown; depth: number; openDepth: number };

function JsonNode({ name, value, depth, openDepth }: NodeProps) {
  const label = name === undefined ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-leaf">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray
    ? (value as unknown[]).map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className="json-leaf">
        {label}
        <span className="json-punct">
          {open}
          {close}
        </span>
      </div>
    );
  }
  const summary = isArray
    ? `${entries.length} item${entries.length === 1 ? "" : "s"}`
    : `${entries.length} key${entries.length === 1 ? "" : "s"}`;
  return (
    <details className="json-branch" open={depth < openDepth}>
      <summary>
        {label}
        <span className="json-punct">{open}</span>
        <span className="json-summary"> {summary} </span>
        <span className="json-punct json-close-folded">{close}</span>
      </summary>
      <Children entries={entries} depth={depth} openDepth={openDepth} />
      <span className="json-punct">{close}</span>
    </details>
  );
}

function Children({
  entries,
  depth,
  openDepth,
}: {
  entries: [string, unknown][];
  depth: number;
  openDepth: number;
}) {
  const [shown, setShown] = useState(CHILDREN_PAGE);
  return (
    <div className="json-children">
      {entries.slice(0, shown).map(([key, child]) => (
        <JsonNode key={key} name={key} value={child} depth={depth + 1} openDepth={openDepth} />
      ))}
      {entries.length > shown && (
        <button type="button" className="link-button" onClick={() => setShown((n) => n + CHILDREN_PAGE * 10)}>
          Show {Math.min(entries.length - shown, CHILDREN_PAGE * 10)} more of {entries.length - shown}
        </button>
      )}
    </div>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="json-boolean">{String(value)}</span>;
  return <span className="json-null">null</span>;
}
