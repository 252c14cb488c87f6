import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { benchDist } from "../paths.js";
import type {
  LatencyResult,
  LatencySpec,
  LoadMessage,
  LoadReply,
  ThroughputResult,
  ThroughputSpec,
} from "./spec.js";

type Waiting = { resolve: (result: unknown) => void; reject: (error: Error) => void };

/** The load process of each core, started on first use and kept for the run (load-process.ts). */
const processes = new Map<string, { child: ChildProcess; waiting: Map<number, Waiting>; stderr: string[] }>();
let nextId = 1;

function loadProcess(core: string) {
  let entry = processes.get(core);
  if (entry && entry.child.exitCode === null && entry.child.connected) return entry;
  const script = join(benchDist, "src/load/load-process.js");
  const [file, argv] = core
    ? ["taskset", ["-c", core, process.execPath, script]]
    : [process.execPath, [script]];
  const child = spawn(file, argv, {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const waiting = new Map<number, Waiting>();
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  child.on("message", (reply: LoadReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) hold(child, false);
    if (reply.error !== undefined) waiter?.reject(new Error(`load process: ${reply.error}`));
    else waiter?.resolve(reply.result);
  });
  child.once("exit", (code) => {
    for (const waiter of waiting.values())
      waiter.reject(new Error(`the load process exited (${code}): ${stderr.join("").slice(-2000)}`));
    waiting.clear();
  });
  // Idle, it must not keep the harness alive; it exits when the harness's end disconnects it.
  hold(child, false);
  entry = { child, waiting, stderr };
  processes.set(core, entry);
  return entry;
}

/** Keeps the harness's event loop alive for the child while it owes an answer, and only then. */
function hold(child: ChildProcess, isWaiting: boolean): void {
  const channel = child.channel as { ref?: () => void; unref?: () => void } | undefined;
  if (isWaiting) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}

function run<T>(core: string, spec: ThroughputSpec | LatencySpec): Promise<T> {
  const { child, waiting } = loadProcess(core);
  const id = nextId++;
  hold(child, true);
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: (result) => resolve(result as T), reject });
    child.send({ id, spec } satisfies LoadMessage);
  });
}

export const runThroughput = (core: string, spec: Omit<ThroughputSpec, "kind">) =>
  run<ThroughputResult>(core, { kind: "throughput", ...spec });

export const runLatency = (core: string, spec: Omit<LatencySpec, "kind">) =>
  run<LatencyResult>(core, { kind: "latency", ...spec });

/** Ends the load processes (the harness calls it before it exits). */
export function stopLoadProcesses(): void {
  for (const { child } of processes.values()) if (child.connected) child.disconnect();
  processes.clear();
}
