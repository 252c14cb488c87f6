import { z } from "zod";
import { defineJobType } from "./types.js";

export const MARKDOWN_MAX_BYTES = 256 * 1024;

export const markdownRenderJobType = defineJobType({
  type: "markdown.render",
  description: "Renders Markdown to sanitized HTML.",
  resultType: "html",
  payloadSchema: z
    .object({
      markdown: z
        .string()
        .refine(
          (value) => Buffer.byteLength(value) <= MARKDOWN_MAX_BYTES,
          `must be at most ${MARKDOWN_MAX_BYTES} bytes`,
        ),
    })
    .strict(),
  maxAttempts: 3,
  timeoutMs: 30_000,
  handler: () => Promise.reject(new Error("markdown.render runs in the worker (issue: Running jobs)")),
});
