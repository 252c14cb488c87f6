import { extname } from "node:path";
/**
 * The copies the dashboard's build writes beside its text files (apps/web/scripts/precompress.mjs),
 * in the order this server prefers them: brotli at quality 11 is about 14 % smaller than gzip at 9,
 * and too slow to make per request.
 */
const VARIANTS = [
    { encoding: "br", suffix: ".br" },
    { encoding: "gzip", suffix: ".gz" },
];
/**
 * Sends the precompressed copy of `root/path` that the client accepts, with the original's
 * Content-Type, `Content-Encoding` and `Vary: Accept-Encoding` (Content-Length and ETag are the
 * copy's own); calls `otherwise` when the client accepts neither or the build wrote neither.
 * `path` is relative to `root`, which send keeps it inside.
 */
export function sendPrecompressed(req, res, { root, path, options = {} }, otherwise) {
    res.vary("Accept-Encoding");
    const accepted = VARIANTS.filter(({ encoding }) => req.acceptsEncodings(encoding) === encoding);
    const tryNext = (index) => {
        const variant = accepted[index];
        if (!variant) {
            otherwise();
            return;
        }
        res.type(extname(path));
        res.setHeader("Content-Encoding", variant.encoding);
        res.sendFile(path + variant.suffix, { root, dotfiles: "deny", ...options }, (error) => {
            // Sent, or the client went away in the middle (nothing more can be sent then).
            if (!error || res.headersSent)
                return;
            res.removeHeader("Content-Encoding");
            res.removeHeader("Content-Type");
            tryNext(index + 1);
        });
    };
    tryNext(0);
}
//# sourceMappingURL=precompressed.js.map