import { z } from "zod";
import { withOpenApi } from "./common.js";

/**
 * What §14–15 add to a job's shape: the caller's tags and metadata (given on create, kept by a
 * retry unless it changes them) and the handler's progress. The filters on them are in filters.ts.
 */

/** Bytes of `text` in UTF-8 (the contract runs in browsers and Node, without either's encoder types). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export const TAGS_MAX = 10;
export const TAG_PATTERN = /^[A-Za-z0-9:_./-]{1,64}$/;
export const METADATA_KEYS_MAX = 32;
export const METADATA_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const METADATA_STRING_MAX = 256;
export const METADATA_BYTES_MAX = 4096;

export const TagsSchema = withOpenApi(
  z
    .array(
      z
        .string({ invalid_type_error: "must be a string" })
        .regex(TAG_PATTERN, "must be 1–64 characters of A–Z, a–z, 0–9, :, _, ., / or -"),
      { invalid_type_error: "must be an array of strings" },
    )
    .max(TAGS_MAX, `at most ${TAGS_MAX} tags`)
    .superRefine((tags, ctx) => {
      for (const [index, tag] of tags.entries())
        if (tags.indexOf(tag) !== index)
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `duplicate tag ${tag}` });
    }),
  {
    description:
      "≤ 10 tags, each [A-Za-z0-9:_./-]{1,64}, case-sensitive, kept in the order sent; a duplicate is a 400.",
    example: ["customer:acme", "nightly"],
  },
);

// One check with one message, not a union: the server's messages would call a union's miss "does not
// match any accepted form".
const MetadataValueSchema = withOpenApi(
  z.custom<string | number | boolean>(
    (value) =>
      typeof value === "number" ||
      typeof value === "boolean" ||
      (typeof value === "string" && value.length <= METADATA_STRING_MAX),
    { message: `must be a string of at most ${METADATA_STRING_MAX} characters, a number or a boolean` },
  ),
  // No oneOf: the document generator calls a custom schema nullable, and OpenAPI 3.0 cannot say
  // that of a oneOf (http/openapi/document.ts); the words say it instead.
  { description: `A string of at most ${METADATA_STRING_MAX} characters, a number or a boolean.` },
);
export type MetadataValue = z.infer<typeof MetadataValueSchema>;

export const MetadataSchema = withOpenApi(
  z
    .record(z.string(), MetadataValueSchema, { invalid_type_error: "must be an object" })
    .superRefine((metadata, ctx) => {
      const keys = Object.keys(metadata);
      if (keys.length > METADATA_KEYS_MAX)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `at most ${METADATA_KEYS_MAX} keys` });
      for (const key of keys)
        if (!METADATA_KEY_PATTERN.test(key))
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message: "keys must be 1–64 characters of A–Z, a–z, 0–9, _, . or -",
          });
      if (utf8Length(JSON.stringify(metadata)) > METADATA_BYTES_MAX)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be at most ${METADATA_BYTES_MAX} bytes as JSON`,
        });
    }),
  {
    description:
      "≤ 32 keys of [A-Za-z0-9_.-]{1,64}; values a string of ≤ 256 characters, a number or a boolean; ≤ 4,096 bytes as UTF-8 JSON.",
    example: { team: "billing", attempt: 2 },
  },
);
export type Metadata = z.infer<typeof MetadataSchema>;

/** The optional fields §15 adds to `POST /v1/jobs` (and to a retry with changes). */
export const jobLabelFields = {
  tags: TagsSchema.optional(),
  metadata: MetadataSchema.optional(),
};

/** §14: a job's last progress report. */
export const JobProgressSchema = z
  .object({
    current: z.number(),
    total: z.number().nullable(),
    message: z.string().nullable(),
    updatedAt: z.string().datetime({ precision: 3 }),
  })
  .strict();
export type JobProgress = z.infer<typeof JobProgressSchema>;
