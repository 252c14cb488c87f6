/**
 * How many jobs each user owns. Skewed like a real multi-tenant service: a few integrations own
 * most of the rows (the whale has the most, so a page 100,000 rows deep exists even behind a
 * filter), and the long tail follows a Zipf curve down to users with a handful of jobs.
 */
export type SeedPlan = {
  totalRows: number;
  users: number;
  /** Rows of the heaviest users, in order; the rest share what is left along a Zipf curve. */
  heavy: number[];
  /** How deep R3 reads; the whale must have that many rows behind every filter it uses. */
  deepRows: number;
};

export const userId = (index: number): string => `user-${String(index).padStart(4, "0")}`;

/** Rows per user: exactly `totalRows` in all, every user at least one. */
export function rowsPerUser(plan: SeedPlan): number[] {
  const counts = new Array<number>(plan.users).fill(0);
  plan.heavy.forEach((rows, i) => (counts[i] = rows));
  const heavyTotal = plan.heavy.reduce((a, b) => a + b, 0);
  const tailUsers = plan.users - plan.heavy.length;
  const tailRows = plan.totalRows - heavyTotal;
  if (tailRows < tailUsers) throw new Error("seed plan: the long tail needs at least one row per user");
  const weights = Array.from({ length: tailUsers }, (_, i) => 1 / (i + 1) ** 0.9);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  // Largest remainder after one row each, so the total is exact.
  const spare = tailRows - tailUsers;
  const exact = weights.map((w) => (w / weightSum) * spare);
  const floors = exact.map(Math.floor);
  let left = spare - floors.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    floors[i]! += 1;
    left--;
  }
  floors.forEach((rows, i) => (counts[plan.heavy.length + i] = rows + 1));
  return counts;
}
