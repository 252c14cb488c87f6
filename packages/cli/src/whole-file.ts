import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./exit-codes.js";

export type WholeFile = { stream: WriteStream; commit(): Promise<void>; discard(): Promise<void> };

/**
 * A file written next to `path` under a temporary name and renamed over it once complete: a reader
 * of `path` never sees half of it, and a failed command leaves the old file as it was. Opened
 * before the request, so that a path that cannot be written is a usage error at once (`flag` names
 * the option in its message).
 */
export async function openWholeFile(path: string, flag: string): Promise<WholeFile> {
  const target = resolve(path);
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.part`);
  const stream = createWriteStream(partial, { flags: "wx", mode: 0o644 });
  await new Promise<void>((opened, failed) => {
    stream.once("open", () => opened());
    stream.once("error", (error: NodeJS.ErrnoException) =>
      failed(new UsageError(`${flag} ${path}: cannot write there (${error.code ?? error.message})`)),
    );
  });
  return {
    stream,
    commit: () => rename(partial, target),
    discard: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}
