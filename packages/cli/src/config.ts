import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "./exit-codes.js";

/** Where `jobdeck login` keeps the server and token: the user's config directory, owner-only. */
export type Credentials = { url: string; token: string };

/** The environment the command reads: passed in, so that tests and the entry point agree on it. */
export type Environment = Record<string, string | undefined>;

/** $XDG_CONFIG_HOME/jobdeck/config.json; ~/.config/… without it; %APPDATA%\jobdeck\… on Windows. */
export function configPath(env: Environment): string {
  const base =
    env.XDG_CONFIG_HOME ||
    (process.platform === "win32" && env.APPDATA ? env.APPDATA : join(env.HOME || homedir(), ".config"));
  return join(base, "jobdeck", "config.json");
}

export function readSavedCredentials(env: Environment): Partial<Credentials> {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const saved = JSON.parse(text) as Partial<Credentials>;
    return {
      ...(typeof saved.url === "string" ? { url: saved.url } : {}),
      ...(typeof saved.token === "string" ? { token: saved.token } : {}),
    };
  } catch {
    throw new UsageError(`${path} is not JSON: run jobdeck login again, or delete the file`);
  }
}

/** Written with mode 0600 in a 0700 directory: the token is a bearer credential. */
export function saveCredentials(env: Environment, credentials: Credentials): string {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync keeps an existing file's mode: make sure an older, looser file is tightened.
  chmodSync(path, 0o600);
  return path;
}

export function forgetCredentials(env: Environment): string {
  const path = configPath(env);
  rmSync(path, { force: true });
  return path;
}

/**
 * The server and token for this run, by precedence: --url/--token, then JOBDECK_URL/JOBDECK_TOKEN,
 * then what `jobdeck login` saved.
 */
export function resolveCredentials(env: Environment, flags: { url?: string; token?: string }): Credentials {
  const saved = readSavedCredentials(env);
  const url = flags.url ?? env.JOBDECK_URL ?? saved.url;
  const token = flags.token ?? env.JOBDECK_TOKEN ?? saved.token;
  if (!url || !token) {
    throw new UsageError(
      "Not logged in: run `jobdeck login --url http://127.0.0.1:3000 --token <token>` (a token: `npm run -s token -- --sub <user>`), or set JOBDECK_URL and JOBDECK_TOKEN.",
    );
  }
  return { url, token };
}

/** The `sub` of a JWT, read without verifying it (the server does that): to say who you are. */
export function subjectOf(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown };
    return typeof claims.sub === "string" ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
