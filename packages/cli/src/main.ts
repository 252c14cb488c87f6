import { run } from "./run.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  onInterrupt: (handler) => {
    for (const signal of SIGNALS) process.once(signal, handler);
    return () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    };
  },
});
