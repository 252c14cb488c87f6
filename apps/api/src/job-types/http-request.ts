import { z } from "zod";
import { defineJobType } from "./types.js";

export const HTTP_TIMEOUT_MAX_MS = 60_000;

const httpUrl = z
  .string()
  .url("must be an absolute URL")
  .refine((value) => /^https?:\/\//i.test(value), "must be an http or https URL");

export const httpRequestJobType = defineJobType({
  type: "http.request",
  description:
    "Makes an HTTP request and returns status, headers and body. A network error or a 5xx fails the attempt.",
  resultType: "json",
  payloadSchema: z
    .object({
      url: httpUrl,
      method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
      headers: z.record(z.string()).optional(),
      body: z.string().optional(),
      timeoutMs: z.number().int().min(1).max(HTTP_TIMEOUT_MAX_MS).optional(),
    })
    .strict(),
  maxAttempts: 3,
  timeoutMs: HTTP_TIMEOUT_MAX_MS + 5_000,
  handler: () => Promise.reject(new Error("http.request runs in the worker (issue: Running jobs)")),
});
