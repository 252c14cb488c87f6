import { contract } from "@jobdeck/contract";
import { generateOpenApi } from "@ts-rest/open-api";
import { COMMON_RESPONSES, commonResponse, COMPONENTS, errorContent, PROBE_SCHEMAS, responseHeaders, TAGS, } from "./components.js";
import { CONTRACT_WORDS } from "./operations.js";
import { outsideContractPaths } from "./outside-contract.js";
const DESCRIPTION = [
    "Submit jobs, watch them run, list them with filters, sorts and keyset pagination.",
    "Every /v1 route needs `Authorization: Bearer <JWT>` (a 401 otherwise, before anything else) and is rate limited per user. Every 4xx and 5xx answer has the same body, `ErrorBody`: branch on `error.code`. Every answer carries `X-Request-Id`.",
    "Unknown query parameters are a 400 on every /v1 route; a method a path does not have is a 405 with `Allow`; every 201 has a `Location`.",
].join("\n\n");
/**
 * The OpenAPI 3.0 document, generated from the contract once, for the first GET /openapi.json (not
 * at boot: see paths.ts): @ts-rest/open-api writes the routes and the named schemas (the contract's
 * zod schemas carry titles, descriptions and examples, see withOpenApi); `completeOperation` adds what ts-rest cannot express, and the routes
 * outside the contract are added whole. Outside tools read it (linters, validating proxies,
 * client generators): the api's openapi-*.test.ts files hold it to them.
 */
export function buildOpenApiDocument(version) {
    const generated = generateOpenApi(contract, {
        info: { title: "jobdeck API", version, description: DESCRIPTION },
        // Relative: the document is served by the server it describes, wherever that is.
        servers: [{ url: "/", description: "The server that serves this document" }],
        tags: TAGS,
        components: COMPONENTS,
    }, { setOperationId: true, operationMapper: completeOperation });
    const document = {
        ...generated,
        paths: { ...generated.paths, ...outsideContractPaths() },
        components: {
            ...generated.components,
            schemas: { ...generated.components?.schemas, ...PROBE_SCHEMAS },
        },
    };
    // As served: ts-rest leaves `undefined` in places, which JSON drops.
    const served = JSON.parse(JSON.stringify(document));
    dropTypelessNullable(served);
    return served;
}
const isReference = (value) => "$ref" in value;
/**
 * Header names as HTTP spells them: zod sees them lowercased, as Node hands them over
 * (`idempotency-key` → `Idempotency-Key`).
 */
const headerName = (name) => name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("-");
/** ts-rest leaves a header's or a path parameter's description inside its schema. */
function completeParameter(parameter) {
    const schema = parameter.schema && !isReference(parameter.schema) ? parameter.schema : undefined;
    const { description, ...rest } = schema ?? {};
    return {
        ...parameter,
        ...(parameter.in === "header" ? { name: headerName(parameter.name) } : {}),
        ...(description && !parameter.description ? { description, schema: rest } : {}),
    };
}
function wordsOf(operationId) {
    const words = operationId ? CONTRACT_WORDS[operationId] : undefined;
    if (!words)
        throw new Error(`OpenAPI: no words for route ${operationId} in http/openapi/operations.ts`);
    return { ...words, responses: words.responses };
}
/**
 * One contract route's operation, completed: its words (operations.ts), the spec's spelling of
 * header names, a required body, the response headers every answer carries (components.ts), and
 * the error answers every /v1 route shares as references.
 */
function completeOperation(operation) {
    const words = wordsOf(operation.operationId);
    const parameters = (operation.parameters ?? []).map((parameter) => isReference(parameter) ? parameter : completeParameter(parameter));
    const isIdempotent = parameters.some((parameter) => !isReference(parameter) && parameter.name === "Idempotency-Key");
    const responses = {};
    for (const [status, generated] of Object.entries(operation.responses)) {
        const code = Number(status);
        if (code in COMMON_RESPONSES) {
            responses[status] = commonResponse(code);
            continue;
        }
        const answer = words.responses[code];
        if (!answer)
            throw new Error(`OpenAPI: no words for ${operation.operationId} ${status}`);
        const content = answer.content ??
            (answer.error
                ? errorContent(answer.error.code, answer.error.message, answer.error.details)
                : generated.content);
        responses[status] = {
            description: answer.description,
            headers: { ...responseHeaders(code, { isIdempotent }), ...answer.headers },
            ...(content ? { content } : {}),
        };
    }
    const body = operation.requestBody;
    return {
        ...operation,
        ...(words.description ? { description: words.description } : {}),
        security: [{ bearerAuth: [] }],
        parameters,
        // ts-rest writes "Body" and leaves it optional, though every route that declares one needs it
        // (all but those whose words say otherwise).
        ...(body && !isReference(body)
            ? { requestBody: { ...body, description: words.body, required: words.isBodyOptional !== true } }
            : {}),
        responses,
    };
}
/**
 * @anatine/zod-openapi marks every zod schema that accepts null `nullable`, also those that have no
 * `type` (the JSON values `payload` and `result`, `payloadSchema`'s members). OpenAPI 3.0 gives
 * `nullable` a meaning only beside `type`: alone, linters call it an error and Prism skips the
 * whole body. A schema without `type` already allows any value, null included, so the keyword
 * goes. A named schema used as nullable cannot be said in OpenAPI 3.0 at all, hence the error.
 * (A nullable enum keeps null out of its values: Prism's validator adds it itself, and with it
 * listed as well, it silently stopped checking answers.)
 */
function dropTypelessNullable(node) {
    if (typeof node !== "object" || node === null)
        return;
    if (Array.isArray(node)) {
        for (const item of node)
            dropTypelessNullable(item);
        return;
    }
    const object = node;
    if (object.nullable === true && object.type === undefined) {
        if ("$ref" in object || "allOf" in object || "oneOf" in object || "anyOf" in object) {
            throw new Error(`OpenAPI 3.0 cannot make a named schema nullable (${JSON.stringify(object)}): leave that schema without a title`);
        }
        delete object.nullable;
    }
    for (const [key, value] of Object.entries(object)) {
        // Examples are data, not schemas.
        if (key !== "example" && key !== "examples")
            dropTypelessNullable(value);
    }
}
//# sourceMappingURL=document.js.map