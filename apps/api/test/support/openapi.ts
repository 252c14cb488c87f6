import { API_VERSION } from "../../src/app.js";
import { buildOpenApiDocument, type OpenApiDocument } from "../../src/http/openapi/document.js";

/** The document `/openapi.json` serves (http-basics.test.ts checks that it is served). */
export const openApiDocument = (): OpenApiDocument => buildOpenApiDocument(API_VERSION);

export type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, Response | { $ref: string }>;
  security?: unknown[];
  description?: string;
};

export type Response = {
  description: string;
  headers?: Record<string, { $ref: string } | { required?: boolean }>;
  content?: Record<string, { schema?: unknown; example?: unknown }>;
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operation of the document, with its method and path. */
export function operationsOf(document: OpenApiDocument) {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation: operation as Operation })),
  );
}

/** Follows a local `$ref` (`#/components/…`) to what it names. */
export function resolveRef<T>(document: OpenApiDocument, value: T | { $ref: string }): T {
  if (typeof value !== "object" || value === null || !("$ref" in value)) return value;
  const target = value.$ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  if (target === undefined) throw new Error(`unresolved ${value.$ref}`);
  return resolveRef(document, target as T);
}

/** Every object in the document, however deep, with the path to it. */
export function* walk(node: unknown, path: string[] = []): Generator<[Record<string, unknown>, string[]]> {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* walk(item, [...path, String(index)]);
    return;
  }
  const object = node as Record<string, unknown>;
  yield [object, path];
  for (const [key, value] of Object.entries(object)) yield* walk(value, [...path, key]);
}
