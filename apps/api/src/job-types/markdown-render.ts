import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import { defineJobType } from "./types.js";

export const MARKDOWN_MAX_BYTES = 256 * 1024;

const marked = new Marked({ gfm: true, async: false });

/**
 * Markdown may carry raw HTML, so the rendered HTML is sanitized: an allow-list of tags and
 * attributes, http(s)/mailto links only, no scripts, styles or event handlers. Links get
 * rel="noopener noreferrer nofollow" since they lead off the dashboard.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "del", "input"],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }),
  },
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
};

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
        .refine(
          (value) => Buffer.byteLength(value) <= MARKDOWN_MAX_BYTES,
          `must be at most ${MARKDOWN_MAX_BYTES} bytes`,
        ),
    })
    .strict(),
  maxAttempts: 3,
  timeoutMs: 30_000,
  handler: ({ markdown }, { signal }) => {
    signal.throwIfAborted();
    const html = sanitizeHtml(marked.parse(markdown, { async: false }), SANITIZE);
    return Promise.resolve({ result: { html } });
  },
});
