import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Processes the bench starts, each pinned to its own core with taskset: the server under test on
 * one, the load generator on the other, so they never take turns on the same core. Without
 * taskset (or with one core) they run unpinned and the results say so.
 */

export type Cores = { server: string; load: string; isPinned: boolean; note: string };

export function chooseCores(): Cores {
  const hasTaskset = spawnSync("taskset", ["--version"]).status === 0;
  const cpus = Number(spawnSync("nproc").stdout?.toString().trim() || "1");
  if (!hasTaskset) {
    return {
      server: "",
      load: "",
      isPinned: false,
      note: "taskset not found (apt-get install -y util-linux): unpinned",
    };
  }
  if (cpus < 2) return { server: "", load: "", isPinned: false, note: "one core: server and load share it" };
  return {
    server: "0",
    load: "1",
    isPinned: true,
    note: "server on core 0, load generator on core 1 (taskset)",
  };
}

export type Running = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The first match of the readiness pattern, e.g. the URL the server printed. */
  ready: string;
  output(): string;
  stop(): Promise<void>;
};

export function spawnPinned(
  core: string,
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string },
): ChildProcess {
  const [file, argv] = core ? ["taskset", ["-c", core, command, ...args]] : [command, args];
  return spawn(file, argv, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts a server and resolves once it prints a line matching `readyPattern` (group 1 is kept). */
export function startServer(
  name: string,
  core: string,
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; readyPattern: RegExp; timeoutMs?: number },
): Promise<Running> {
  const child = spawnPinned(core, command, args, options);
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = options.readyPattern.exec(output);
      if (match && timer) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
        resolve({
          name,
          child,
          pid: child.pid!,
          ready: match[1] ?? match[0],
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill("SIGTERM");
              const forced = setTimeout(() => child.kill("SIGKILL"), 15_000);
              await exited;
              clearTimeout(forced);
            }
          },
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used (Linux /proc). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in MB (Linux /proc). */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The peak resident set size of the process's life so far in MB (VmHWM, Linux /proc). */
export function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
