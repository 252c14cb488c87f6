import { createPublicKey } from "node:crypto";
import { z } from "zod";

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");
const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: integerString(0, 65535).default("3000"),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)")
    .default("file:./data/jobdeck.db"),
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
  EVENTS_HEARTBEAT_MS: integerString(100, 300_000).default("15000"),
  JOB_TYPES_MODULE: z.string().min(1).optional(),
  HTTP_REQUEST_ALLOW_PRIVATE: booleanString.optional(),
  RATE_LIMIT_PER_MINUTE: integerString(1, 1_000_000).default("600"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  CORS_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_POOL_SIZE: integerString(1, 100).default("10"),
});

export type JwtKey =
  | { kind: "secret"; algorithm: "HS256"; secret: string | undefined }
  | { kind: "public-key"; algorithm: "RS256" | "ES256"; publicKey: string; privateKey: string | undefined };

export type Config = {
  env: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL connections one process uses for reads. */
  databasePoolSize: number;
  dataDir: string;
  jwt: { key: JwtKey; issuer: string | undefined; audience: string | undefined };
  workerConcurrency: number;
  /** How long a claimed job stays leased without a renewal; renewed every third of it. */
  workerLeaseMs: number;
  /** Fallback claim interval, for jobs no notification announced (other SQLite processes, backoff). */
  workerPollMs: number;
  /** Retry delay after attempt n: base·2^(n−1), capped at max, then jittered to between half and all of it. */
  workerBackoffBaseMs: number;
  workerBackoffMaxMs: number;
  /** On SIGTERM: how long running jobs may take to finish before they are handed back. */
  shutdownGraceMs: number;
  /** How long job events stay available to `Last-Event-ID` resumes. */
  eventRetentionMs: number;
  /** Comment lines on idle event streams, so that proxies keep them open. */
  eventsHeartbeatMs: number;
  jobTypesModule: string | undefined;
  httpRequestAllowPrivate: boolean;
  rateLimitPerMinute: number;
  metricsToken: string | undefined;
  corsOrigins: string[];
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
};

export class ConfigError extends Error {}

/** Environment values may carry PEM line breaks as literal `\n`, as most secret stores do. */
const pem = (value: string) => value.replace(/\\n/g, "\n");

function publicKeyAlgorithm(key: string): "RS256" | "ES256" {
  let parsed;
  try {
    parsed = createPublicKey(key);
  } catch {
    throw new ConfigError("JWT_PUBLIC_KEY: is not a PEM public key");
  }
  if (parsed.asymmetricKeyType === "rsa") return "RS256";
  if (parsed.asymmetricKeyType === "ec" && parsed.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return "ES256";
  throw new ConfigError("JWT_PUBLIC_KEY: must be an RSA key (RS256) or a P-256 EC key (ES256)");
}

/** The only reader of the environment: everything else receives a Config. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join(".") ?? "environment"}: ${issue?.message ?? "invalid"}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";

  let key: JwtKey;
  if (e.JWT_PUBLIC_KEY) {
    const publicKey = pem(e.JWT_PUBLIC_KEY);
    key = {
      kind: "public-key",
      algorithm: publicKeyAlgorithm(publicKey),
      publicKey,
      // Only `npm run token` signs with it; the server never needs it.
      privateKey: e.JWT_PRIVATE_KEY ? pem(e.JWT_PRIVATE_KEY) : undefined,
    };
  } else {
    if (isProduction && (!e.JWT_SECRET || Buffer.byteLength(e.JWT_SECRET) < 32)) {
      throw new ConfigError(
        "JWT_SECRET: is required in production and must be at least 32 bytes (or set JWT_PUBLIC_KEY)",
      );
    }
    key = { kind: "secret", algorithm: "HS256", secret: e.JWT_SECRET };
  }
  if (e.WORKER_BACKOFF_MAX_MS < e.WORKER_BACKOFF_BASE_MS) {
    throw new ConfigError("WORKER_BACKOFF_MAX_MS: must not be less than WORKER_BACKOFF_BASE_MS");
  }

  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    jwt: { key, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerLeaseMs: e.WORKER_LEASE_MS,
    workerPollMs: e.WORKER_POLL_MS,
    workerBackoffBaseMs: e.WORKER_BACKOFF_BASE_MS,
    workerBackoffMaxMs: e.WORKER_BACKOFF_MAX_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    eventRetentionMs: e.EVENT_RETENTION_HOURS * 3_600_000,
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
  };
}
