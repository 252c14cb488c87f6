import cors from "cors";
import helmet from "helmet";
/**
 * helmet's headers with a Content-Security-Policy that fits the dashboard and /docs: everything
 * from this origin, inline styles (React and Swagger UI set them), images also from data: and blob:
 * URLs (image results are shown from object URLs), nothing framed from elsewhere.
 */
export function securityHeaders() {
    return helmet({
        contentSecurityPolicy: {
            directives: {
                defaultSrc: ["'self'"],
                scriptSrc: ["'self'"],
                styleSrc: ["'self'", "'unsafe-inline'"],
                imgSrc: ["'self'", "data:", "blob:"],
                connectSrc: ["'self'"],
                frameSrc: ["'self'"],
                frameAncestors: ["'none'"],
                objectSrc: ["'none'"],
                baseUri: ["'self'"],
                formAction: ["'self'"],
                // helmet adds this by default. The dashboard is served over plain HTTP (npm start, a LAN
                // address): there Chromium would ask for the script over https, which nothing answers, and
                // the page would stay blank. Loopback is exempt, which is why only other addresses broke.
                // Behind TLS the page's own URLs are https already.
                upgradeInsecureRequests: null,
            },
        },
        crossOriginEmbedderPolicy: false,
    });
}
/** Closed by default: without CORS_ORIGINS no cross-origin browser call is allowed. */
export function corsPolicy(origins) {
    return cors({
        origin: origins.length > 0 ? origins : false,
        // PUT and If-Match for a queue's settings (§11).
        methods: ["GET", "POST", "PUT"],
        allowedHeaders: [
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
            "If-Match",
            "Last-Event-ID",
            "X-Request-Id",
        ],
        exposedHeaders: [
            "X-Request-Id",
            "Idempotent-Replayed",
            "Deduplicated",
            "ETag",
            "Retry-After",
            "RateLimit",
            "RateLimit-Policy",
            "Location",
            "Allow",
            "WWW-Authenticate",
        ],
        maxAge: 600,
    });
}
//# sourceMappingURL=security.js.map