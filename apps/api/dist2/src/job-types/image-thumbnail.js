import { z } from "zod";
import { fetchGuarded } from "../net/outbound-http.js";
import { defineJobType, PermanentJobError, RetryableJobError } from "./types.js";
export const IMAGE_SOURCE_MAX_BYTES = 20 * 1024 * 1024;
/** Decoding a larger picture could take far more memory than its file size suggests. */
const MAX_INPUT_PIXELS = 50_000_000;
const FETCH_TIMEOUT_MS = 30_000;
const FETCH_MAX_REDIRECTS = 5;
const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is;
// A regex, not a refine: zod-to-json-schema publishes it as `pattern`, so clients can check it too.
const source = z
    .string()
    .regex(/^(data:image\/[a-z0-9.+-]+;base64,|https?:\/\/)/i, "must be a data: URL of an image (base64) or an http(s) URL");
const ImageThumbnailPayloadSchema = z
    .object({
    source,
    width: z.number().int().min(1).max(4096),
    height: z.number().int().min(1).max(4096).optional(),
    format: z.enum(["png", "jpeg", "webp"]),
})
    .strict();
async function readSource(value, options) {
    const data = DATA_URL.exec(value);
    if (data) {
        const bytes = Buffer.from(data[2] ?? "", "base64");
        options.progress(bytes.length, bytes.length, "bytes read");
        if (bytes.length > IMAGE_SOURCE_MAX_BYTES) {
            throw new PermanentJobError("IMAGE_TOO_LARGE", `the source is larger than ${IMAGE_SOURCE_MAX_BYTES} bytes`);
        }
        return bytes;
    }
    const response = await fetchGuarded({
        url: value,
        method: "GET",
        headers: { accept: "image/*" },
        timeoutMs: FETCH_TIMEOUT_MS,
        maxResponseBytes: IMAGE_SOURCE_MAX_BYTES,
        maxRedirects: FETCH_MAX_REDIRECTS,
        allowPrivate: options.allowPrivate,
        signal: options.signal,
        onBytes: (read, total) => options.progress(read, total, "bytes read"),
    });
    if (response.status >= 500) {
        throw new RetryableJobError("HTTP_SERVER_ERROR", `the source answered ${response.status}`);
    }
    if (response.status !== 200) {
        throw new PermanentJobError("SOURCE_NOT_FOUND", `the source answered ${response.status}, not 200`);
    }
    return response.body;
}
export function createImageThumbnailJobType(options) {
    return defineJobType({
        type: "image.thumbnail",
        description: "Resizes an image (data: URL or http(s) URL) to `width` (and `height`: cropped to fill both) " +
            "and stores it as the job's artifact, served by GET /v1/jobs/{id}/artifact.",
        resultType: "image",
        payloadSchema: ImageThumbnailPayloadSchema,
        maxAttempts: 3,
        timeoutMs: 60_000,
        handler: async ({ source, width, height, format }, { jobId, signal, progress }) => {
            const input = await readSource(source, { allowPrivate: options.allowPrivate, signal, progress });
            signal.throwIfAborted();
            let output;
            // Loaded with the first thumbnail, not at boot: libvips is about 20 MB of a process's memory,
            // which a server that never makes a thumbnail should not carry (R9).
            const { default: sharp } = await import("sharp");
            try {
                output = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
                    .rotate() // upright, as its EXIF orientation says
                    .resize(width, height ?? null, { fit: height ? "cover" : "inside" })
                    .toFormat(format)
                    .toBuffer({ resolveWithObject: true });
            }
            catch (error) {
                throw new PermanentJobError("INVALID_IMAGE", `the source is not an image that can be read: ${error.message}`, {
                    cause: error,
                });
            }
            return {
                result: {
                    width: output.info.width,
                    height: output.info.height,
                    format,
                    bytes: output.info.size,
                    url: `/v1/jobs/${jobId}/artifact`,
                },
                artifact: { contentType: `image/${format}`, bytes: output.data },
            };
        },
    });
}
//# sourceMappingURL=image-thumbnail.js.map