import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DeadlineError, killDescendants, withinDeadline } from "../src/deadline.js";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a target's deadline", () => {
  it("gives the outcome of work that ends in time, and its error", async () => {
    let isExpired = false;
    const onExpiry = () => {
      isExpired = true;
      return Promise.resolve();
    };
    expect(await withinDeadline(Promise.resolve(7), 1_000, onExpiry)).toBe(7);
    await expect(withinDeadline(Promise.reject(new Error("no")), 1_000, onExpiry)).rejects.toThrow("no");
    expect(isExpired).toBe(false);
  });

  it("abandons work that hangs: kills the processes under it, then says it ran out of time", async () => {
    // A shell with two children that would sleep for a minute: a hung target's servers and browser.
    const shell = spawn("sh", ["-c", "sleep 60 & sleep 60 & echo ready; wait"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    await new Promise((resolve) => shell.stdout.once("data", resolve));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      shell.once("exit", (_code, signal) => resolve(signal)),
    );
    const hung = new Promise<never>(() => undefined);
    let killed: number[] = [];
    const started = Date.now();
    await expect(
      withinDeadline(hung, 300, async () => {
        killed = await killDescendants(shell.pid!);
      }),
    ).rejects.toThrow(DeadlineError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // Both sleeps were signalled and are gone once the shell has reaped them (within 5 s).
    expect(killed.length).toBeGreaterThanOrEqual(2);
    const deadline = Date.now() + 5_000;
    while (killed.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(killed.filter(isAlive)).toEqual([]);
    shell.kill("SIGKILL");
    await exited;
  });
});
