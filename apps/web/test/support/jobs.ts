import type { Job } from "@jobdeck/contract";
import type { ListMemory } from "../../src/features/jobs/list-memory";
import { job } from "./api";

/** `count` jobs with ids that end in their number (…000000000007), newest first. */
export const manyJobs = (count: number, patch: Partial<Job> = {}): Job[] =>
  Array.from({ length: count }, (_, i) =>
    job({ id: `01a2233e-3c77-70aa-8925-${String(i).padStart(12, "0")}`, ...patch }),
  );

export const freshMemory = (patch: Partial<ListMemory> = {}): ListMemory => ({
  scrollTop: 0,
  activeId: undefined,
  pinnedAt: 0,
  leftAt: undefined,
  ...patch,
});
