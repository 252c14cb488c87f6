import { constants } from "node:zlib";
import compression from "compression";
/**
 * Answers smaller than this go out as they are: a one-job answer (about 500 bytes) saves a few
 * hundred bytes compressed, for more CPU than its query.
 */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/**
 * brotli's quality on the fly. 11, what the dashboard's files are built with, takes 0.75 s for its
 * 345 kB script; 4 takes about what gzip's default level takes and is a little smaller: 105 kB
 * for that script, 2.1 kB for a 50-job list answer of 19 kB (about 0.1 ms on this machine).
 */
export const BROTLI_QUALITY = 4;
const isEventStream = (res) => /^text\/event-stream/i.test(String(res.getHeader("Content-Type")));
/**
 * Compresses text answers on the fly (JSON, /openapi.json, /docs, /metrics, the dashboard's files
 * when no precompressed copy exists): brotli when the client accepts it, else gzip. Never the event
 * stream, which must reach the client event by event; it also says `Cache-Control: no-transform`.
 * Answers that already carry a Content-Encoding (the precompressed files) pass through untouched.
 */
export function compressResponses() {
    return compression({
        threshold: COMPRESSION_THRESHOLD_BYTES,
        brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
        filter: (req, res) => !isEventStream(res) && compression.filter(req, res),
    });
}
//# sourceMappingURL=compression.js.map