import { z } from "zod";
import { defineJobType } from "./types.js";
export const MARKDOWN_MAX_BYTES = 256 * 1024;
export const markdownRenderJobType = defineJobType({
    type: "markdown.render",
    description: "Renders Markdown (GitHub flavoured) to sanitized HTML.",
    resultType: "html",
    payloadSchema: z
        .object({
        markdown: z
            .string()
            // Published as maxLength; the byte limit below is the real one (a character is 1–4 bytes).
            .max(MARKDOWN_MAX_BYTES, `must be at most ${MARKDOWN_MAX_BYTES} bytes`)
            .refine((value) => Buffer.byteLength(value) <= MARKDOWN_MAX_BYTES, `must be at most ${MARKDOWN_MAX_BYTES} bytes`),
    })
        .strict(),
    maxAttempts: 3,
    timeoutMs: 30_000,
    handler: async ({ markdown }, { signal }) => {
        // Loaded with the first render, not at boot: sanitize-html brings htmlparser2 and postcss, a few
        // MB that stayed resident in every server, most of which never render Markdown (R9).
        const { markdownToHtml } = await import("./markdown-html.js");
        signal.throwIfAborted();
        return { result: { html: markdownToHtml(markdown) } };
    },
});
//# sourceMappingURL=markdown-render.js.map