import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Io } from "../../src/output.js";
import { run } from "../../src/run.js";

export const BIN = fileURLToPath(new URL("../../bin/jobdeck.js", import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** A fresh config directory: what `jobdeck login` writes goes there, nowhere else. */
export const freshConfigHome = () => mkdtempSync(join(tmpdir(), "jobdeck-cli-test-"));

/**
 * What a command writes to stdout or stderr, kept as text. `delayMs` makes every write finish that
 * much later, with a small buffer: a slow reader, so that a command that ignored backpressure
 * would show it.
 */
class Capture extends Writable {
  text = "";
  /** The same, as the bytes written: for binary output. */
  private chunks: Buffer[] = [];
  /** The most bytes ever waiting in its buffer: bounded when the writer waits for 'drain'. */
  maxBuffered = 0;
  /** How many writes, and the largest. */
  writes = 0;
  maxWrite = 0;
  readonly columns = 120;
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  constructor(
    readonly isTTY: boolean,
    delayMs = 0,
  ) {
    super({
      highWaterMark: delayMs > 0 ? 1024 : 16_384,
      write: (chunk: Buffer, _encoding, done) => {
        this.text += chunk.toString();
        this.chunks.push(Buffer.from(chunk));
        this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
        this.writes++;
        this.maxWrite = Math.max(this.maxWrite, chunk.byteLength);
        if (delayMs > 0) setTimeout(done, delayMs);
        else done();
      },
    });
  }
}

export type RunOptions = {
  env?: Record<string, string>;
  /** Standard input's text. */
  input?: string;
  /** Whether stdout and stderr are terminals (colour, tables, progress lines); default piped. */
  isTTY?: boolean;
  /** Every write to stdout takes this long (a slow pipe). */
  stdoutDelayMs?: number;
};

/**
 * Runs a command line in this process through run(), the entry main.ts calls, with the given
 * environment only and stdout and stderr captured: what the built command does, without starting
 * a process for every command (spawnJobdeck below does, for what only a real process shows).
 */
export function startJobdeck(args: string[], options: RunOptions = {}) {
  const stdout = new Capture(options.isTTY === true, options.stdoutDelayMs);
  const stderr = new Capture(options.isTTY === true);
  const handlers = new Set<() => void>();
  const io: Io = {
    env: options.env ?? {},
    stdout,
    stderr,
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    onInterrupt: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  const exited: Promise<number> = run(args, io);
  return {
    stdout: () => stdout.text,
    stdoutBytes: () => stdout.bytes(),
    stderr: () => stderr.text,
    maxBufferedStdout: () => stdout.maxBuffered,
    stdoutWrites: () => ({ count: stdout.writes, largest: stdout.maxWrite }),
    exited,
    /** Ctrl-C: what the command does on SIGINT. */
    interrupt: async () => {
      for (const handler of [...handlers]) handler();
      return exited;
    },
  };
}

export async function jobdeck(
  args: string[],
  options: RunOptions = {},
): Promise<
  CliResult & {
    stdoutBytes: Buffer;
    maxBufferedStdout: number;
    stdoutWrites: { count: number; largest: number };
  }
> {
  const started = startJobdeck(args, options);
  const code = await started.exited;
  return {
    code,
    stdout: started.stdout(),
    stdoutBytes: started.stdoutBytes(),
    stderr: started.stderr(),
    maxBufferedStdout: started.maxBufferedStdout(),
    stdoutWrites: started.stdoutWrites(),
  };
}

/**
 * Runs the built `jobdeck` command (bin/jobdeck.js) in its own process, as a shell would (stdout
 * and stderr piped, so not a terminal), with only the environment given.
 */
export function spawnJobdeck(
  args: string[],
  {
    env = {},
    input,
    command = [process.execPath, BIN],
    cwd,
  }: RunOptions & { command?: string[]; cwd?: string } = {},
) {
  const [file, ...prefix] = command;
  const child = spawn(file!, [...prefix, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    ...(cwd === undefined ? {} : { cwd }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  child.stdin.end(input ?? "");
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    result: async (): Promise<CliResult> => ({ code: await exited, stdout, stderr }),
    /** The reader goes away, as `head` does after its lines: the next write gets EPIPE. */
    closeStdout: () => child.stdout.destroy(),
    /** A real SIGINT, as Ctrl-C sends. */
    interrupt: async () => {
      child.kill("SIGINT");
      return exited;
    },
  };
}

/** `promise`, or an error naming what it was waiting for after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The lines of NDJSON text, parsed. */
export const parseLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
