import { describe, expect, it } from "vitest";
import { enterList, restartListMemory } from "../src/features/jobs/list-memory";

describe("list memory", () => {
  it("finds a view as it was left when the reader comes back soon", () => {
    const first = enterList("?created=1h", 1_000);
    first.scrollTop = 3400;
    first.leftAt = 60_000;
    expect(enterList("?created=1h", 200_000)).toMatchObject({ scrollTop: 3400, pinnedAt: 1_000 });
  });

  it("starts a view afresh, with its window resolved again, after five minutes away", () => {
    const first = enterList("?created=24h", 1_000);
    first.scrollTop = 3400;
    first.leftAt = 10_000;
    expect(enterList("?created=24h", 10_000 + 5 * 60_000 + 1)).toMatchObject({
      scrollTop: 0,
      pinnedAt: 310_001,
    });
  });

  it("refresh goes back to the top and re-pins the window", () => {
    const memory = enterList("?status=failed", 1_000);
    Object.assign(memory, { scrollTop: 900, activeId: "x" });
    restartListMemory(memory, 5_000);
    expect(memory).toMatchObject({ scrollTop: 0, activeId: undefined, pinnedAt: 5_000 });
  });
});
