import { createClient } from "@jobdeck/client";
import { Command } from "commander";
import { act, examples } from "../command-kit.js";
import { configPath, forgetCredentials, saveCredentials, subjectOf } from "../config.js";
import { UsageError } from "../exit-codes.js";
import type { Io } from "../output.js";

type LoginFlags = { url?: string; token?: string };

export function loginCommands(io: Io): Command[] {
  const login = examples(
    new Command("login")
      .description(`check a server and token, and keep them in ${configPath(io.env)} (owner-only)`)
      .action(
        act(io, async (context) => {
          // --url and --token are the program's own options: read them with the globals.
          const flags: LoginFlags = context.globals;
          const url = flags.url ?? io.env.JOBDECK_URL;
          const token = flags.token ?? io.env.JOBDECK_TOKEN;
          if (!url || !token) {
            throw new UsageError(
              "login needs --url <url> and --token <token> (or JOBDECK_URL and JOBDECK_TOKEN).",
            );
          }
          // A request that needs the token: the server says now, not at the first real command, if it is refused.
          await createClient({ url, token, retry: { retries: 1 } }).jobs.listJobs({ query: { limit: "1" } });
          const path = saveCredentials(io.env, { url, token });
          const who = subjectOf(token);
          context.out.line(`Logged in to ${url}${who ? ` as ${who}` : ""}; saved in ${path}`);
        }),
      ),
    [
      "jobdeck login --url http://127.0.0.1:3000 --token $(npm run -s token -- --sub alice)",
      "JOBDECK_URL=https://jobs.example.com JOBDECK_TOKEN=… jobdeck login",
    ],
  );
  const logout = examples(
    new Command("logout").description("forget the saved server and token").action(
      act(io, async (context) => {
        context.out.line(`Removed ${forgetCredentials(io.env)}`);
        return Promise.resolve();
      }),
    ),
    ["jobdeck logout"],
  );
  return [login, logout];
}
