import { z } from "zod";
import { defineJobType } from "./types.js";

const source = z
  .string()
  .refine(
    (value) => /^data:image\/[a-z0-9.+-]+;base64,/i.test(value) || /^https?:\/\//i.test(value),
    "must be a data: URL of an image (base64) or an http(s) URL",
  );

export const imageThumbnailJobType = defineJobType({
  type: "image.thumbnail",
  description: "Resizes an image (data: URL or http(s) URL) and stores the thumbnail as the job's artifact.",
  resultType: "image",
  payloadSchema: z
    .object({
      source,
      width: z.number().int().min(1).max(4096),
      height: z.number().int().min(1).max(4096).optional(),
      format: z.enum(["png", "jpeg", "webp"]),
    })
    .strict(),
  maxAttempts: 3,
  timeoutMs: 60_000,
  handler: () => Promise.reject(new Error("image.thumbnail runs in the worker (issue: Running jobs)")),
});
