import { z } from "zod";
import { defineJobType } from "./types.js";
export const echoJobType = defineJobType({
    type: "echo",
    description: "Returns its payload as the result.",
    resultType: "json",
    payloadSchema: z.record(z.unknown()),
    maxAttempts: 3,
    timeoutMs: 10_000,
    handler: (payload) => Promise.resolve({ result: payload }),
});
//# sourceMappingURL=echo.js.map