import { batchCreateTarget } from "./batch-create.js";
import { bulkCancelTarget } from "./bulk-cancel.js";
import { createThroughputTarget } from "./create-throughput.js";
import { busyKeyLatencyTarget } from "./busy-key-latency.js";
import { dashboardBundleTarget } from "./dashboard-bundle.js";
import { dashboardFirstVisitTarget } from "./dashboard-first-visit.js";
import { dashboardScrollTarget } from "./dashboard-scroll.js";
import { deepPagesTarget } from "./deep-pages.js";
import { enqueueLatencyTarget } from "./enqueue-latency.js";
import { exportMemoryTarget } from "./export-memory.js";
import { labelPagesTarget } from "./label-pages.js";
import { limitedThroughputTarget } from "./limited-throughput.js";
import { listThroughputTarget } from "./list-throughput.js";
import { memoryTarget } from "./memory.js";
import { payloadScanTarget } from "./payload-scan.js";
import { scheduleFiresTarget } from "./schedule-fires.js";
import type { Target } from "./types.js";
import { webhookDeliveriesTarget } from "./webhook-deliveries.js";
import { workerThroughputTarget } from "./worker-throughput.js";

/** Every target of issues 6, 11, 12, 13 and 14, in order (R7′ is issue 14's R7, beside it). `--only R1,R3` picks some. */
export const TARGETS: Target[] = [
  listThroughputTarget("R1", "sqlite"),
  listThroughputTarget("R2", "postgresql"),
  deepPagesTarget,
  createThroughputTarget,
  workerThroughputTarget,
  enqueueLatencyTarget,
  dashboardBundleTarget,
  dashboardFirstVisitTarget,
  dashboardScrollTarget,
  memoryTarget,
  limitedThroughputTarget,
  busyKeyLatencyTarget,
  scheduleFiresTarget,
  batchCreateTarget,
  webhookDeliveriesTarget,
  labelPagesTarget,
  payloadScanTarget,
  bulkCancelTarget,
  exportMemoryTarget,
];
