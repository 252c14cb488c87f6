import type { JobType } from "@jobdeck/contract";
import { zodToJsonSchema } from "zod-to-json-schema";
import { echoJobType } from "./echo.js";
import { httpRequestJobType } from "./http-request.js";
import { imageThumbnailJobType } from "./image-thumbnail.js";
import { markdownRenderJobType } from "./markdown-render.js";
import { sleepJobType } from "./sleep.js";
import type { JobTypeDefinition } from "./types.js";

export const builtInJobTypes: JobTypeDefinition<unknown>[] = [
  echoJobType,
  sleepJobType,
  markdownRenderJobType,
  httpRequestJobType,
  imageThumbnailJobType,
];

export type JobTypeRegistry = {
  get(type: string): JobTypeDefinition<unknown> | undefined;
  names(): string[];
  /** What GET /v1/job-types answers: computed once, since types do not change while running. */
  describe(): JobType[];
};

const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function createJobTypeRegistry(definitions: JobTypeDefinition<unknown>[]): JobTypeRegistry {
  const byName = new Map<string, JobTypeDefinition<unknown>>();
  for (const definition of definitions) {
    if (!TYPE_NAME.test(definition.type)) throw new Error(`job type name "${definition.type}" is not valid`);
    if (byName.has(definition.type)) throw new Error(`job type "${definition.type}" is defined twice`);
    if (!Number.isInteger(definition.maxAttempts) || definition.maxAttempts < 1) {
      throw new Error(`job type "${definition.type}": maxAttempts must be a positive integer`);
    }
    if (!Number.isInteger(definition.timeoutMs) || definition.timeoutMs < 1) {
      throw new Error(`job type "${definition.type}": timeoutMs must be a positive integer`);
    }
    byName.set(definition.type, definition);
  }
  const described: JobType[] = [...byName.values()].map((d) => {
    const { $schema: _ignored, ...payloadSchema } = zodToJsonSchema(d.payloadSchema, {
      $refStrategy: "none",
      target: "jsonSchema7",
    }) as Record<string, unknown>;
    return {
      type: d.type,
      resultType: d.resultType,
      description: d.description,
      payloadSchema,
      maxAttempts: d.maxAttempts,
      timeoutMs: d.timeoutMs,
    };
  });
  return {
    get: (type) => byName.get(type),
    names: () => [...byName.keys()],
    describe: () => described,
  };
}
