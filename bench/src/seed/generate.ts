import { rowsPerUser, userId, type SeedPlan } from "./plan.js";

/**
 * Deterministic, realistic jobs: the built-in types in proportions a real service sees, statuses
 * that depend on age (recent jobs are still pending or running, old ones finished), timestamps over
 * the last 180 days with a day/night rhythm, payloads and results shaped like each type's. Rows come
 * out in creation order across all users, as they would have arrived, so a user's rows are spread
 * over the whole table instead of sitting together.
 *
 * Tags and metadata (§15) as integrations send them: most jobs carry an environment tag and a
 * team and region, fewer a source tag or a customer, and a few are tagged `urgent`. The dense values
 * (`env:prod`, `metadata.region=eu-west`) leave more than 100,000 of the busiest user's jobs behind
 * the filter, so R15 has a deep page; `urgent` is the selective one. `echo` payloads carry a
 * `customer` object: `payload.customer.id=…` matches a handful of jobs, so R16's scan runs to its cap.
 * Labels come from a random stream of their own: the other columns are those of the seed before them.
 */

export type SeedRow = {
  id: string;
  userId: string;
  type: string;
  status: string;
  resultType: string;
  payload: string;
  result: string | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  runAt: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The jobs row's `tags` (a JSON array) and `metadata` (a JSON object), or null when none. */
  tags: string | null;
  metadata: string | null;
  /** The same labels as jobdeck's side tables hold them (apps/api/src/db/job-store/labels.ts). */
  tagList: string[];
  metadataRows: { key: string; value: string }[];
};

/** Fixed, so two runs seed the same rows: the newest job is this old. */
export const SEED_NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const SPAN_MS = 180 * 86_400_000;

/** mulberry32: small, fast, good enough for synthetic data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type TypeSpec = {
  type: string;
  resultType: string;
  weight: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Typical run time in ms: [min, max]. */
  runMs: [number, number];
  payload(n: number, rnd: () => number): unknown;
  result(n: number, id: string, payload: unknown): unknown;
  failure: { code: string; message: string };
};

const CARRIERS = ["ups", "dhl", "fedex", "postnl", "colissimo"];
/** A request id that looks like one, from the row number alone (no draw: the other columns stay as they were). */
const requestIdOf = (n: number) =>
  `req_${(Math.imul(n, 2654435761) >>> 0).toString(16).padStart(8, "0")}${(Math.imul(n ^ 0x5bd1e995, 40503) >>> 0).toString(16).padStart(8, "0")}`;

// maxAttempts and timeoutMs as the built-in job types declare them (apps/api/src/job-types).
// Payloads are of realistic size: an HTTP call's headers and body, a report's markdown, a thumbnail's
// URL and size (a few hundred bytes for the first two); echo and sleep keep their small ones. The list's R1/R2 time pages of them.
const TYPES: TypeSpec[] = [
  {
    type: "http.request",
    resultType: "json",
    weight: 35,
    maxAttempts: 3,
    timeoutMs: 65_000,
    runMs: [40, 2500],
    payload: (n, rnd) => {
      const method = rnd() < 0.8 ? "GET" : "POST";
      return {
        url: `https://api.example.com/v1/orders/${n}?expand=items,customer&currency=EUR`,
        method,
        headers: {
          accept: "application/json",
          "user-agent": "jobdeck-integration/2.4 (+https://example.com/bot)",
          "x-request-id": requestIdOf(n),
          "idempotency-key": `order-sync-${n}`,
        },
        ...(method === "POST"
          ? {
              body: JSON.stringify({
                orderId: n,
                status: "shipped",
                carrier: CARRIERS[n % CARRIERS.length],
                trackingNumber: `1Z${String(n * 7919).padStart(12, "0")}`,
              }),
            }
          : {}),
        timeoutMs: 15_000,
      };
    },
    result: (n) => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: `{"id":${n},"state":"shipped"}`,
    }),
    failure: { code: "HTTP_STATUS", message: "upstream answered 503 Service Unavailable" },
  },
  {
    type: "echo",
    resultType: "json",
    weight: 30,
    maxAttempts: 3,
    timeoutMs: 10_000,
    runMs: [1, 5],
    payload: (n) => ({ message: `hello ${n}`, n }),
    result: (_n, _id, payload) => payload,
    failure: { code: "TIMEOUT", message: "job timed out after 10000 ms" },
  },
  {
    type: "markdown.render",
    resultType: "html",
    weight: 15,
    maxAttempts: 3,
    timeoutMs: 30_000,
    runMs: [3, 60],
    payload: (n) => ({
      markdown: `# Weekly report ${n}\n\nShipped **${n % 97}** orders; see the *details* below.\n\n## Details\n\n| region | orders | late |\n|---|---|---|\n| eu-west | ${n % 61} | ${n % 5} |\n| us-east | ${n % 43} | ${n % 3} |\n| ap-south | ${n % 17} | 0 |\n\n- Returns: ${n % 11}\n- Open tickets: ${n % 23} ([queue](https://support.example.com/queues/${n % 8}))\n`,
    }),
    result: (n) => ({
      html: `<h1>Weekly report ${n}</h1>\n<p>Shipped <strong>${n % 97}</strong> orders; see the <em>details</em> below.</p>\n`,
    }),
    failure: { code: "TIMEOUT", message: "job timed out after 30000 ms" },
  },
  {
    type: "image.thumbnail",
    resultType: "image",
    weight: 12,
    maxAttempts: 3,
    timeoutMs: 60_000,
    runMs: [80, 3000],
    payload: (n) => ({
      source: `https://images.example.com/catalogue/2026/${(n % 12) + 1}/product-${n}-front.jpg?v=${n % 9}`,
      width: 256,
      format: "webp",
      height: 171,
    }),
    result: (n, id) => ({
      width: 256,
      height: 171,
      format: "webp",
      bytes: 6000 + (n % 9000),
      url: `/v1/jobs/${id}/artifact`,
    }),
    failure: { code: "FETCH_FAILED", message: "source answered 404 Not Found" },
  },
  {
    type: "sleep",
    resultType: "json",
    weight: 8,
    maxAttempts: 3,
    timeoutMs: 630_000,
    runMs: [100, 5000],
    payload: (n) => ({ ms: 100 + (n % 49) * 100 }),
    result: (_n, _id, payload) => ({ sleptMs: (payload as { ms: number }).ms }),
    failure: { code: "CANCELLED", message: "stopped early" },
  },
];
export const SEED_TYPES = TYPES.map((t) => t.type);
const TYPE_WEIGHT_SUM = TYPES.reduce((a, t) => a + t.weight, 0);

function pickType(rnd: () => number): TypeSpec {
  let x = rnd() * TYPE_WEIGHT_SUM;
  for (const spec of TYPES) {
    x -= spec.weight;
    if (x < 0) return spec;
  }
  return TYPES[0]!;
}

/** Busier by day (UTC 08–20) than by night, like most traffic. */
function createdAtOf(rnd: () => number): number {
  for (;;) {
    const t = SEED_NOW - rnd() * SPAN_MS;
    const hour = new Date(t).getUTCHours();
    const weight = 0.35 + 0.65 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
    if (rnd() < weight) return Math.floor(t);
  }
}

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");

/** UUIDv7 from a timestamp and the generator, like jobdeck's own ids (apps/api uses uuid's v7). */
export function uuidv7(ms: number, rnd: () => number): string {
  const time = hex(ms, 12);
  const randA = hex(Math.floor(rnd() * 0x1000), 3);
  const variant = hex(0x8000 | Math.floor(rnd() * 0x4000), 4);
  const tail = hex(Math.floor(rnd() * 0x1000000), 6) + hex(Math.floor(rnd() * 0x1000000), 6);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randA}-${variant}-${tail}`;
}

/** Customers (metadata.customer and echo's payload.customer.id): many, so one is rare. */
export const SEED_CUSTOMERS = 20_000;
export const customerId = (n: number) => `cus_${String(n).padStart(5, "0")}`;
/** The labels the bench filters by (R15): dense enough for a page 100,000 rows deep, and selective. */
export const SEED_LABELS = {
  denseTag: "env:prod",
  selectiveTag: "urgent",
  denseMetadata: { key: "region", value: "eu-west" },
} as const;
const TEAMS = ["payments", "search", "growth", "platform", "mobile", "data", "support", "infra"];
const SOURCES = ["source:api", "source:cron", "source:webhook"];

type Labels = { tags: string[]; metadata: Record<string, string> };

function labelsOf(rnd: () => number, customer: number): Labels {
  const tags: string[] = [];
  const metadata: Record<string, string> = {};
  const r = rnd();
  if (r < 0.9) tags.push(rnd() < 0.8 ? "env:prod" : "env:staging");
  if (rnd() < 0.35) tags.push(SOURCES[Math.floor(rnd() * SOURCES.length)]!);
  if (rnd() < 0.02) tags.push("urgent");
  if (rnd() < 0.85) {
    // Skewed: the first teams are the busiest.
    metadata.team = TEAMS[Math.floor(rnd() ** 1.6 * TEAMS.length)]!;
    const region = rnd();
    metadata.region = region < 0.7 ? "eu-west" : region < 0.92 ? "us-east" : "ap-south";
    if (rnd() < 0.65) metadata.customer = customerId(customer);
  }
  return { tags, metadata };
}

/** Every row, oldest first. Deterministic for a given plan. */
export function* generateRows(plan: SeedPlan): Generator<SeedRow> {
  const counts = rowsPerUser(plan);
  const rnd = random(20261128);
  const labelRnd = random(20261205);
  const users = new Uint16Array(plan.totalRows);
  const times = new Float64Array(plan.totalRows);
  let k = 0;
  counts.forEach((count, user) => {
    for (let i = 0; i < count; i++, k++) {
      users[k] = user;
      times[k] = createdAtOf(rnd);
    }
  });
  const order = new Uint32Array(plan.totalRows).map((_, i) => i);
  order.sort((a, b) => times[a]! - times[b]!);

  for (let n = 0; n < plan.totalRows; n++) {
    const index = order[n]!;
    const createdAt = times[index]!;
    const spec = pickType(rnd);
    const id = uuidv7(createdAt, rnd);
    const customer = Math.floor(labelRnd() * SEED_CUSTOMERS);
    const basePayload = spec.payload(n, rnd);
    const payload =
      spec.type === "echo"
        ? {
            ...(basePayload as object),
            customer: { id: customerId(customer), plan: customer % 7 === 0 ? "pro" : "free" },
          }
        : basePayload;
    const labels = labelsOf(labelRnd, customer);
    const metadataKeys = Object.keys(labels.metadata);
    const age = SEED_NOW - createdAt;
    const r = rnd();
    let status: string;
    if (age < 10 * 60_000)
      status = r < 0.5 ? "pending" : r < 0.8 ? "running" : r < 0.95 ? "completed" : "failed";
    else status = r < 0.84 ? "completed" : r < 0.92 ? "failed" : r < 0.97 ? "cancelled" : "pending";

    const queued = 20 + Math.floor(rnd() * 2000);
    const runMs = spec.runMs[0] + Math.floor(rnd() * (spec.runMs[1] - spec.runMs[0]));
    let attempts = 0;
    let startedAt: number | null = null;
    let finishedAt: number | null = null;
    let result: unknown = null;
    let error: unknown = null;
    let runAt = createdAt;
    switch (status) {
      case "completed":
        attempts = rnd() < 0.9 ? 1 : 2;
        startedAt = createdAt + queued;
        finishedAt = startedAt + runMs;
        result = spec.result(n, id, payload);
        break;
      case "failed":
        attempts = spec.maxAttempts;
        startedAt = createdAt + queued;
        finishedAt = startedAt + runMs + 30_000;
        error = spec.failure;
        break;
      case "cancelled":
        attempts = rnd() < 0.5 ? 0 : 1;
        startedAt = attempts ? createdAt + queued : null;
        finishedAt = createdAt + queued + Math.floor(runMs / 2);
        error = null;
        break;
      case "running":
        attempts = 1;
        startedAt = createdAt + queued;
        break;
      default:
        // Pending: new, or waiting out a retry backoff.
        attempts = age < 10 * 60_000 ? 0 : 1;
        runAt = createdAt + (attempts ? 60_000 : 0);
    }
    const updatedAt = Math.min(SEED_NOW, finishedAt ?? startedAt ?? createdAt);
    yield {
      id,
      userId: userId(users[index]!),
      type: spec.type,
      status,
      resultType: spec.resultType,
      payload: JSON.stringify(payload),
      result: result === null ? null : JSON.stringify(result),
      error: error === null ? null : JSON.stringify(error),
      attempts,
      maxAttempts: spec.maxAttempts,
      timeoutMs: spec.timeoutMs,
      runAt,
      createdAt,
      updatedAt,
      startedAt,
      finishedAt: finishedAt === null ? null : Math.min(SEED_NOW, finishedAt),
      tags: labels.tags.length > 0 ? JSON.stringify(labels.tags) : null,
      metadata: metadataKeys.length > 0 ? JSON.stringify(labels.metadata) : null,
      tagList: labels.tags,
      // A value as job_metadata keeps it: its JSON text (`"eu-west"`), as filters compare it.
      metadataRows: metadataKeys.map((key) => ({ key, value: JSON.stringify(labels.metadata[key]) })),
    };
  }
}
