import { readFileSync } from "node:fs";
import { UsageError } from "./exit-codes.js";
import type { Io } from "./output.js";

/** Collects a repeatable flag's values: `--tag a --tag b`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A comma list given once or repeated: `--status failed,cancelled` or `--status failed --status cancelled`. */
export const commaList = (values: string[] | undefined): string | undefined =>
  values === undefined || values.length === 0 ? undefined : values.join(",");

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A JSON value from a flag: the JSON itself, `@path` for a file's contents, or `-` for standard
 * input (as curl's --data takes them).
 */
export async function readJsonArgument(raw: string, flag: string, io: Io): Promise<unknown> {
  let text = raw;
  let source = `${flag}`;
  if (raw === "-") {
    text = await readAll(io.stdin);
    source = `${flag} - (standard input)`;
  } else if (raw.startsWith("@")) {
    const path = raw.slice(1);
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new UsageError(
        `${flag} ${raw}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    source = `${flag} ${raw}`;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${source} is not JSON: ${(error as Error).message}. Quote it for the shell: --payload '{"ms": 500}'`,
    );
  }
}

/** `key=value` (the value may contain `=`). */
export function keyValue(raw: string, flag: string): [string, string] {
  const at = raw.indexOf("=");
  if (at <= 0) throw new UsageError(`${flag} ${raw}: expected key=value`);
  return [raw.slice(0, at), raw.slice(at + 1)];
}

/** A metadata value as §15 takes them: a number or boolean when it reads as one, else the text. */
export function metadataValue(raw: string): string | number | boolean {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `2h`, `1d`, or a bare number of milliseconds. */
export function durationMs(raw: string, flag: string): number {
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  const match = DURATION.exec(raw);
  if (!match) throw new UsageError(`${flag} ${raw}: expected a duration such as 500ms, 30s, 5m, 2h or 1d`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
}

/** A point in time: ISO 8601, Unix milliseconds, or a duration meaning that long ago (`2h`). */
export function timeMs(raw: string, flag: string, now: number = Date.now()): number {
  if (/^[0-9]{10,}$/.test(raw)) return Number(raw);
  if (DURATION.test(raw)) return now - durationMs(raw, flag);
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) {
    throw new UsageError(
      `${flag} ${raw}: expected an ISO time (2026-12-04T10:00:00Z), Unix ms, or an age such as 2h`,
    );
  }
  return parsed;
}

export function integer(raw: string, flag: string, min: number, max: number): number {
  const value = /^-?[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`${flag} ${raw}: expected an integer from ${min} to ${max}`);
  return value;
}

/** A limit that may be switched off: an integer, or `none` for null. */
export function limitOrNone(raw: string, flag: string): number | null {
  return raw === "none" ? null : integer(raw, flag, 1, 1_000_000_000);
}

/** A rate limit: `100/1m` (100 starts per minute), or `none`. */
export function rateLimitOrNone(raw: string, flag: string): { limit: number; periodMs: number } | null {
  if (raw === "none") return null;
  const [limit, period] = raw.split("/");
  if (limit === undefined || period === undefined) {
    throw new UsageError(`${flag} ${raw}: expected <starts>/<period>, such as 100/1m, or none`);
  }
  return { limit: integer(limit, flag, 1, 1_000_000_000), periodMs: durationMs(period, flag) };
}
