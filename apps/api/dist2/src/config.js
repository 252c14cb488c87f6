import { createPublicKey } from "node:crypto";
import { z } from "zod";
const booleanString = z
    .enum(["true", "false", "1", "0"])
    .transform((value) => value === "true" || value === "1");
const integerString = (min, max) => z
    .string()
    .regex(/^[0-9]+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
/** Every variable jobdeck reads, with its default; the README's configuration tables list them. */
const EnvSchema = z.object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: integerString(0, 65535).default("3000"),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATABASE_URL: z
        .string()
        .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
        .default("file:./data/jobdeck.db"),
    DATABASE_POOL_SIZE: integerString(1, 100).default("10"),
    DATA_DIR: z.string().min(1).default("./data"),
    JWT_SECRET: z.string().min(1).optional(),
    JWT_PUBLIC_KEY: z.string().min(1).optional(),
    JWT_PRIVATE_KEY: z.string().min(1).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    WORKER_CONCURRENCY: integerString(0, 256).default("4"),
    WORKER_LEASE_MS: integerString(500, 3_600_000).default("30000"),
    WORKER_POLL_MS: integerString(10, 60_000).default("250"),
    WORKER_BACKOFF_BASE_MS: integerString(1, 3_600_000).default("1000"),
    WORKER_BACKOFF_MAX_MS: integerString(1, 86_400_000).default("600000"),
    SHUTDOWN_GRACE_MS: integerString(0, 3_600_000).default("10000"),
    EVENT_RETENTION_HOURS: integerString(1, 24 * 365).default("24"),
    WEBHOOK_RETENTION_DAYS: integerString(1, 3_650).default("30"),
    EVENTS_HEARTBEAT_MS: integerString(100, 300_000).default("15000"),
    JOB_TYPES_MODULE: z.string().min(1).optional(),
    HTTP_REQUEST_ALLOW_PRIVATE: booleanString.optional(),
    RATE_LIMIT_PER_MINUTE: integerString(1, 1_000_000).default("600"),
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    CORS_ORIGINS: z.string().optional(),
    FILTER_SCAN_LIMIT: integerString(1, 100_000_000).default("100000"),
    RETENTION_SWEEP_MS: integerString(100, 86_400_000).default("60000"),
    WEBHOOK_CONCURRENCY: integerString(1, 256).default("8"),
    WEBHOOK_TIMEOUT_MS: integerString(100, 60_000).default("10000"),
    WEBHOOK_POLL_MS: integerString(10, 60_000).default("250"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
/** Environment values may carry PEM line breaks as literal `\n`, as most secret stores do. */
const pem = (value) => value.replace(/\\n/g, "\n");
/** A failed rule, reported like a bad value: on the variable to change. */
function fail(ctx, variable, message) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
    return z.NEVER;
}
function publicKeyAlgorithm(key) {
    let parsed;
    try {
        parsed = createPublicKey(key);
    }
    catch {
        return { problem: "is not a PEM public key" };
    }
    if (parsed.asymmetricKeyType === "rsa")
        return { algorithm: "RS256" };
    if (parsed.asymmetricKeyType === "ec" && parsed.asymmetricKeyDetails?.namedCurve === "prime256v1")
        return { algorithm: "ES256" };
    return { problem: "must be an RSA key (RS256) or a P-256 EC key (ES256)" };
}
/** The key tokens are verified with: a public key pins its algorithm, else an HS256 secret. */
function jwtKeyOf(e, ctx, isProduction) {
    if (e.JWT_PUBLIC_KEY) {
        const publicKey = pem(e.JWT_PUBLIC_KEY);
        const checked = publicKeyAlgorithm(publicKey);
        if ("problem" in checked)
            return fail(ctx, "JWT_PUBLIC_KEY", checked.problem);
        return {
            kind: "public-key",
            algorithm: checked.algorithm,
            publicKey,
            // Only `npm run token` signs with it; the server never needs it.
            privateKey: e.JWT_PRIVATE_KEY ? pem(e.JWT_PRIVATE_KEY) : undefined,
        };
    }
    if (isProduction && (!e.JWT_SECRET || Buffer.byteLength(e.JWT_SECRET) < 32)) {
        return fail(ctx, "JWT_SECRET", "is required in production and must be at least 32 bytes (or set JWT_PUBLIC_KEY)");
    }
    return { kind: "secret", algorithm: "HS256", secret: e.JWT_SECRET };
}
/** The environment as the rest of the code receives it: parsed, checked across variables, named. */
export const ConfigSchema = EnvSchema.transform((e, ctx) => {
    const isProduction = e.NODE_ENV === "production";
    const key = jwtKeyOf(e, ctx, isProduction);
    if (e.WORKER_BACKOFF_MAX_MS < e.WORKER_BACKOFF_BASE_MS) {
        return fail(ctx, "WORKER_BACKOFF_MAX_MS", "must not be less than WORKER_BACKOFF_BASE_MS");
    }
    return {
        env: e.NODE_ENV,
        isProduction,
        port: e.PORT,
        host: e.HOST,
        databaseUrl: e.DATABASE_URL,
        /** PostgreSQL connections one process uses for reads. */
        databasePoolSize: e.DATABASE_POOL_SIZE,
        dataDir: e.DATA_DIR,
        jwt: { key, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
        workerConcurrency: e.WORKER_CONCURRENCY,
        /** How long a claimed job stays leased without a renewal; renewed every third of it. */
        workerLeaseMs: e.WORKER_LEASE_MS,
        /** Fallback claim interval, for jobs no notification announced (other SQLite processes, backoff). */
        workerPollMs: e.WORKER_POLL_MS,
        /** Retry delay after attempt n: base·2^(n−1), capped at max, then jittered to between half and all of it. */
        workerBackoffBaseMs: e.WORKER_BACKOFF_BASE_MS,
        workerBackoffMaxMs: e.WORKER_BACKOFF_MAX_MS,
        /** On SIGTERM: how long running jobs may take to finish before they are handed back. */
        shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
        /** How long job events stay available to `Last-Event-ID` resumes. */
        eventRetentionMs: e.EVENT_RETENTION_HOURS * 3_600_000,
        /** How long webhook deliveries (§13's log) and ended messages are kept. */
        webhookRetentionMs: e.WEBHOOK_RETENTION_DAYS * 86_400_000,
        /** Comment lines on idle event streams, so that proxies keep them open. */
        eventsHeartbeatMs: e.EVENTS_HEARTBEAT_MS,
        jobTypesModule: e.JOB_TYPES_MODULE,
        httpRequestAllowPrivate: e.HTTP_REQUEST_ALLOW_PRIVATE ?? !isProduction,
        rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
        metricsToken: e.METRICS_TOKEN,
        corsOrigins: (e.CORS_ORIGINS ?? "")
            .split(",")
            .map((origin) => origin.trim())
            .filter(Boolean),
        logLevel: e.LOG_LEVEL,
        /** Rows a filter the indexes cannot narrow (payload., result., errorCode, idPrefix, waitReason) may read per list request (§15). */
        filterScanLimit: e.FILTER_SCAN_LIMIT,
        /** How often each process's retention sweep runs (§15): from the end of one to the start of the next. */
        retentionSweepMs: e.RETENTION_SWEEP_MS,
        /** Webhook messages one process (with WORKER_CONCURRENCY > 0) sends at once (§13). */
        webhookConcurrency: e.WEBHOOK_CONCURRENCY,
        /** How long one webhook attempt waits for the receiver's status line before it counts as failed. */
        webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
        /** Fallback look for due webhook messages, for those no signal announced (other SQLite processes). */
        webhookPollMs: e.WEBHOOK_POLL_MS,
    };
});
export class ConfigError extends Error {
}
/**
 * The environment the process was started with, for the entry points to hand to loadConfig. The
 * linter refuses `process.env` everywhere else in src/ (eslint.config.js).
 */
export const processEnvironment = () => process.env;
/** Parses the environment; a bad value is a ConfigError with one line naming the variable. */
export function loadConfig(env) {
    const parsed = ConfigSchema.safeParse(env);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ConfigError(`${issue?.path.join(".") ?? "environment"}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
}
//# sourceMappingURL=config.js.map