import { finished } from "node:stream/promises";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { byteSize } from "../record-counter.js";
import { openWholeFile } from "../whole-file.js";

type ArtifactFlags = { output?: string };

function writeOut(stream: NodeJS.WritableStream, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * GET /v1/jobs/{id}/artifact: the bytes to --output (written whole or not at all) or to a stdout
 * that is not a terminal; binary on a terminal is refused before anything is asked.
 */
export async function saveJobArtifact(context: Context, jobId: string, flags: ArtifactFlags): Promise<void> {
  const { io, out } = context;
  const toStdout = flags.output === undefined || flags.output === "-";
  if (toStdout && io.stdout.isTTY === true) {
    throw new UsageError(
      `an artifact is binary and stdout is a terminal: add -o FILE (jobdeck jobs artifact ${jobId} -o thumb.png), or pipe it`,
    );
  }
  const file = toStdout ? undefined : await openWholeFile(flags.output!, "--output");
  try {
    const answer = await context.client().jobs.getJobArtifact({ params: { jobId } });
    const bytes = Buffer.from(await (answer.body as Blob).arrayBuffer());
    const type = answer.headers.get("content-type") ?? "application/octet-stream";
    if (!file) {
      await writeOut(io.stdout, bytes);
      return;
    }
    file.stream.end(bytes);
    await finished(file.stream);
    await file.commit();
    out.note(`Wrote ${byteSize(bytes.length)} (${type}) to ${flags.output}`);
  } catch (error) {
    await file?.discard();
    // A reader that stopped early (`| head -c`): what it wanted was written.
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return;
    throw error;
  }
}
