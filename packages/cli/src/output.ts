import Table from "cli-table3";
import picocolors from "picocolors";

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Where a command writes: stdout for results, stderr for notes, both as the process has them. */
export type Io = {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  /**
   * Calls `handler` on Ctrl-C (SIGINT) or SIGTERM while a long command runs, instead of the process
   * ending at once; answers the function that stops listening. The process's signals in main.ts; a
   * test's own call in-process.
   */
  onInterrupt(handler: () => void): () => void;
};

export type Output = {
  /** Whether stdout is a terminal: tables with colour and borders, relative times; else plain text. */
  isTTY: boolean;
  colors: Colors;
  /** One value as JSON (indented on a terminal, one line when piped). */
  json(value: unknown): void;
  /** One value as one line of JSON. */
  ndjson(value: unknown): void;
  line(text?: string): void;
  /** A note for the person, on stderr: never mixed into what a script reads. */
  note(text: string): void;
  table(head: string[], rows: string[][]): void;
  /** Name–value pairs, one per line. */
  fields(pairs: [string, string][]): void;
  /** The text of a table, for commands that redraw it (watch). */
  renderTable(head: string[], rows: string[][]): string;
};

const PLAIN_CHARS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

export function createOutput(io: Io, { color }: { color: boolean }): Output {
  const isTTY = io.stdout.isTTY === true;
  // picocolors honours NO_COLOR and FORCE_COLOR; colour only ever goes to a terminal.
  const hasColor =
    color &&
    io.env.NO_COLOR === undefined &&
    (isTTY || (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0"));
  const colors = picocolors.createColors(hasColor);
  const write = (text: string) => io.stdout.write(text);

  const renderTable = (head: string[], rows: string[][]) => {
    const table = isTTY
      ? new Table({
          head: head.map((title) => colors.bold(title)),
          style: { head: [], border: [], compact: true, "padding-left": 0, "padding-right": 0 },
          chars: { ...PLAIN_CHARS, middle: " │ ", "mid-mid": "" },
        })
      : new Table({
          head,
          style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
          chars: PLAIN_CHARS,
        });
    table.push(...rows);
    // cli-table3 pads the last column too: trailing blanks are noise for grep and diff.
    return table
      .toString()
      .split("\n")
      .map((row) => row.trimEnd())
      .join("\n");
  };

  return {
    isTTY,
    colors,
    json: (value) => write(`${JSON.stringify(value, null, isTTY ? 2 : undefined)}\n`),
    ndjson: (value) => write(`${JSON.stringify(value)}\n`),
    line: (text = "") => write(`${text}\n`),
    note: (text) => io.stderr.write(`${text}\n`),
    table: (head, rows) => write(`${renderTable(head, rows)}\n`),
    fields: (pairs) => {
      const width = Math.max(...pairs.map(([name]) => name.length));
      for (const [name, value] of pairs) write(`${colors.bold(name.padEnd(width))}  ${value}\n`);
    },
    renderTable,
  };
}
