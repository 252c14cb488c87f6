import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
const marked = new Marked({ gfm: true, async: false });
/**
 * Markdown may carry raw HTML, so the rendered HTML is sanitized: an allow-list of tags and
 * attributes, http(s)/mailto links only, no scripts, styles or event handlers. Links get
 * rel="noopener noreferrer nofollow" since they lead off the dashboard.
 */
const SANITIZE = {
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
/** GitHub-flavoured Markdown to sanitized HTML. */
export const markdownToHtml = (markdown) => sanitizeHtml(marked.parse(markdown, { async: false }), SANITIZE);
//# sourceMappingURL=markdown-html.js.map