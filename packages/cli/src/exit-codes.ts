import { JobdeckError } from "@jobdeck/client";

/** What scripts can rely on: the command's exit status. */
export const EXIT = {
  ok: 0,
  /** The API refused or failed the request (or could not be reached). */
  apiError: 1,
  /** The command line was wrong: an unknown flag, a bad value, not logged in. */
  usage: 2,
  /** The job (queue, schedule, webhook) does not exist for this token. */
  notFound: 3,
  /** `jobs wait` (or `create --wait`) ran out of time. */
  timeout: 4,
  /** `jobs wait` saw the job end, but failed or cancelled rather than completed. */
  jobNotCompleted: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake on the command line, found by the command itself (commander finds the others). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Ends the command with `code` after its message (already printed when message is empty). */
export class CommandExit extends Error {
  override readonly name = "CommandExit";
  constructor(
    readonly code: ExitCode,
    message = "",
  ) {
    super(message);
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CommandExit) return error.code;
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof JobdeckError) {
    if (error.code === "NOT_FOUND") return EXIT.notFound;
    if (error.code === "TIMEOUT") return EXIT.timeout;
    return EXIT.apiError;
  }
  return EXIT.apiError;
}

/** What to do about an API error, after what went wrong. */
function adviceFor(error: JobdeckError, url: string | undefined): string | undefined {
  switch (error.code) {
    case "UNAUTHORIZED":
      return "The server refused the token: run `jobdeck login --url <url> --token <token>` with a valid one (`npm run -s token -- --sub <user>` mints one).";
    case "NETWORK_ERROR":
      return `Nothing answered at ${url ?? "the server's URL"}: is the server running (\`npm start\`)? Check --url, JOBDECK_URL or \`jobdeck login\`.`;
    case "RATE_LIMITED":
      return "Too many requests for this user: wait a minute, or raise RATE_LIMIT_PER_MINUTE on the server.";
    case "INVALID_CURSOR":
      return "The cursor belongs to another query: pass the same filters and sort as the page it came from, or drop --cursor.";
    case "UNAVAILABLE":
      return "The server cannot reach its database; `curl <url>/readyz` tells when it can again.";
    case "VALIDATION_FAILED":
      return "Fix the values named above; `jobdeck <command> --help` lists the flags.";
    default:
      return undefined;
  }
}

/** The lines printed on stderr for an error that ends the command. */
export function describeError(error: unknown, url?: string): string {
  if (error instanceof JobdeckError) {
    const lines = [`Error: ${error.message}${error.status > 0 ? ` (${error.status} ${error.code})` : ""}`];
    for (const detail of error.details.slice(1)) lines.push(`  ${detail.path}: ${detail.message}`);
    const advice = adviceFor(error, url);
    if (advice) lines.push(advice);
    if (error.requestId) lines.push(`Request id: ${error.requestId}`);
    return lines.join("\n");
  }
  if (error instanceof CommandExit) return error.message;
  if (error instanceof UsageError) return `Error: ${error.message}`;
  return `Error: ${(error as Error).message ?? String(error)}`;
}
