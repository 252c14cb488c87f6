import { RESULT_TYPES } from "@jobdeck/contract";
import { zodToJsonSchema } from "zod-to-json-schema";
import { echoJobType } from "./echo.js";
import { createHttpRequestJobType } from "./http-request.js";
import { createImageThumbnailJobType } from "./image-thumbnail.js";
import { markdownRenderJobType } from "./markdown-render.js";
import { sleepJobType } from "./sleep.js";
export function createBuiltInJobTypes(options) {
    const network = { allowPrivate: options.httpRequestAllowPrivate };
    return [
        echoJobType,
        sleepJobType,
        markdownRenderJobType,
        createHttpRequestJobType(network),
        createImageThumbnailJobType(network),
    ];
}
const TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_TIMEOUT_MS = 24 * 3_600_000;
export class JobTypeError extends Error {
}
/**
 * Checks a definition as strictly as the API relies on it: built-in types and those a module adds
 * (which arrive as plain JavaScript, unchecked by the compiler) go through the same checks.
 */
function checkDefinition(value) {
    const d = value;
    if (!d || typeof d !== "object")
        throw new JobTypeError("a job type must be an object");
    const name = typeof d.type === "string" ? d.type : undefined;
    if (!name || !TYPE_NAME.test(name)) {
        throw new JobTypeError(`job type name ${JSON.stringify(d.type)} is not valid (letters, digits, ".", "_", "-"; at most 100)`);
    }
    const fail = (message) => new JobTypeError(`job type "${name}": ${message}`);
    if (typeof d.description !== "string" || d.description.length === 0)
        throw fail("description must be a non-empty string");
    if (typeof d.resultType !== "string" || !RESULT_TYPES.includes(d.resultType)) {
        throw fail(`resultType must be one of ${RESULT_TYPES.join(", ")}`);
    }
    const schema = d.payloadSchema;
    // Duck-typed: a module may bring its own copy of zod 3.
    if (!schema || typeof schema.safeParse !== "function" || typeof schema._def !== "object") {
        throw fail("payloadSchema must be a zod schema");
    }
    if (typeof d.handler !== "function")
        throw fail("handler must be a function");
    if (!Number.isInteger(d.maxAttempts) || d.maxAttempts < 1 || d.maxAttempts > 100) {
        throw fail("maxAttempts must be an integer from 1 to 100");
    }
    if (!Number.isInteger(d.timeoutMs) ||
        d.timeoutMs < 1 ||
        d.timeoutMs > MAX_TIMEOUT_MS) {
        throw fail(`timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
    }
    return d;
}
export function createJobTypeRegistry(definitions) {
    const byName = new Map();
    for (const value of definitions) {
        const definition = checkDefinition(value);
        if (byName.has(definition.type))
            throw new JobTypeError(`job type "${definition.type}" is defined twice`);
        byName.set(definition.type, definition);
    }
    const described = [...byName.values()].map((d) => {
        const { $schema: _ignored, ...payloadSchema } = zodToJsonSchema(d.payloadSchema, {
            $refStrategy: "none",
            target: "jsonSchema7",
        });
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
//# sourceMappingURL=registry.js.map