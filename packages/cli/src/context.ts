import { createClient, type JobdeckClient } from "@jobdeck/client";
import type { Command } from "commander";
import { resolveCredentials } from "./config.js";
import { createOutput, type Io, type Output } from "./output.js";

export type GlobalFlags = { url?: string; token?: string; color?: boolean };

/** What an action needs: where to write, and (made on first use) a client for the chosen server. */
export type Context = {
  io: Io;
  out: Output;
  /** The program's own flags (--url, --token, --no-color), wherever they were given. */
  globals: GlobalFlags;
  client(): JobdeckClient;
  /** The server's URL, once known: for error advice. */
  url: string | undefined;
};

export function contextFor(command: Command, io: Io): Context {
  const flags = command.optsWithGlobals<GlobalFlags>();
  let client: JobdeckClient | undefined;
  const context: Context = {
    io,
    globals: flags,
    out: createOutput(io, { color: flags.color !== false }),
    url: flags.url ?? io.env.JOBDECK_URL,
    client: () => {
      if (!client) {
        const credentials = resolveCredentials(io.env, flags);
        context.url = credentials.url;
        client = createClient({
          url: credentials.url,
          token: credentials.token,
          headers: { "user-agent": "jobdeck-cli/0.1.0" },
        });
      }
      return client;
    },
  };
  return context;
}
