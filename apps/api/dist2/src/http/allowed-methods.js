import { AppError } from "../errors.js";
/** Methods in the order an `Allow` header lists them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * A path template of the OpenAPI document (`/v1/jobs/{jobId}`) matched as Express matches routes:
 * a parameter is one segment, letters in any case, a trailing slash allowed.
 */
const patternOf = (template) => new RegExp(`^${template
    .split(/\{[^}]+\}/)
    .map(escapeRegExp)
    .join("[^/]+")}/?$`, "i");
/**
 * A method that a path of the OpenAPI document does not have is a 405 METHOD_NOT_ALLOWED with
 * `Allow` listing those it has (RFC 9110 §15.5.6); a path the document does not list passes on (to
 * a 404). Reading the paths as the document lists them (openapi/paths.ts, held equal to the
 * document by a test) keeps what it says and what the server does in step.
 * A GET route answers HEAD too, as Express does. Placed in the /v1 chain after authentication and
 * rate limits, before the body is read, and again before the 404 for the paths outside /v1.
 */
export function refuseOtherMethods(paths) {
    const routes = Object.entries(paths).map(([template, item]) => ({
        pattern: patternOf(template),
        methods: METHODS.filter((method) => method.toLowerCase() in item),
    }));
    return (req, _res, next) => {
        const path = req.baseUrl + req.path;
        const matching = routes.filter((route) => route.pattern.test(path));
        if (matching.length === 0) {
            next();
            return;
        }
        const declared = new Set(matching.flatMap((route) => route.methods));
        if (declared.has("GET"))
            declared.add("HEAD");
        if (declared.has(req.method)) {
            next();
            return;
        }
        const allow = METHODS.filter((method) => declared.has(method)).join(", ");
        next(new AppError("METHOD_NOT_ALLOWED", `${req.method} is not allowed here; this path allows ${allow}`, {
            headers: { Allow: allow },
        }));
    };
}
//# sourceMappingURL=allowed-methods.js.map