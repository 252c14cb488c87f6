/**
 * Checks a value against a JSON Schema before it is sent, for the keywords job types publish
 * (draft-07 as zod-to-json-schema writes it: type, properties, required, additionalProperties,
 * enum, const, minimum/maximum, lengths, pattern, format uri, items, anyOf/oneOf/allOf).
 * Unknown keywords are ignored: the server validates again and has the last word. A full
 * validator (Ajv) would cost ~40 KB and compiles schemas with `new Function`.
 */
export type SchemaIssue = { path: string; message: string };

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: Schema | Schema[];
  minItems?: number;
  maxItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
  description?: string;
};

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? "an" : "a");

export function validateJson(schema: unknown, value: unknown, path = ""): SchemaIssue[] {
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as Schema;
  const issues: SchemaIssue[] = [];
  const add = (message: string, at = path) => issues.push({ path: at, message });

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((type) => hasType(value, type))) {
      add(`must be ${types.map((type) => `${article(type)} ${type}`).join(" or ")}`);
      return issues;
    }
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value))
    add(`must be ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    add(`must be one of ${s.enum.map((option) => JSON.stringify(option)).join(", ")}`);
  }

  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) add(`must be at least ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) add(`must be at most ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum)
      add(`must be greater than ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum)
      add(`must be less than ${s.exclusiveMaximum}`);
  }

  if (typeof value === "string") {
    const length = [...value].length;
    if (s.minLength !== undefined && length < s.minLength) add(`must be at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && length > s.maxLength) add(`must be at most ${s.maxLength} characters`);
    if (s.pattern !== undefined && !safeTest(s.pattern, value)) add(`must match ${s.pattern}`);
    if ((s.format === "uri" || s.format === "url") && !isAbsoluteUrl(value)) add("must be an absolute URL");
  }

  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) add(`must have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) add(`must have at most ${s.maxItems} items`);
    value.forEach((item, index) => {
      const itemSchema = Array.isArray(s.items) ? s.items[index] : s.items;
      issues.push(...validateJson(itemSchema, item, join(path, index)));
    });
  }

  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of s.required ?? []) {
      if (!Object.hasOwn(object, key)) add("is required", join(path, key));
    }
    for (const [key, child] of Object.entries(object)) {
      const propertySchema = s.properties?.[key];
      if (propertySchema) issues.push(...validateJson(propertySchema, child, join(path, key)));
      else if (s.additionalProperties === false) add("is not an accepted field", join(path, key));
      else if (typeof s.additionalProperties === "object")
        issues.push(...validateJson(s.additionalProperties, child, join(path, key)));
    }
  }

  for (const part of s.allOf ?? []) issues.push(...validateJson(part, value, path));
  const alternatives = s.anyOf ?? s.oneOf;
  if (
    alternatives &&
    !alternatives.some((alternative) => validateJson(alternative, value, path).length === 0)
  ) {
    add("does not match any accepted form");
  }
  return issues;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return true;
  }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A value the schema accepts, as a starting point for a type without a hand-written example. */
export function exampleFor(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return {};
  const s = schema as Schema;
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "object": {
      const example: Record<string, unknown> = {};
      for (const key of s.required ?? []) example[key] = exampleFor(s.properties?.[key]);
      return example;
    }
    case "array":
      return [];
    case "string":
      return s.format === "uri" ? "https://example.com" : "";
    case "integer":
    case "number":
      return s.minimum ?? 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return s.anyOf?.[0] || s.oneOf?.[0] ? exampleFor(s.anyOf?.[0] ?? s.oneOf?.[0]) : {};
  }
}

/** How deep a filter path may go (§15: 1–8 names), and so how deep suggestions are looked for. */
const PATH_DEPTH_MAX = 8;
// A filter path cannot name a member whose name holds a dot, a quote or a backslash (§15).
const PATH_NAME = /^[^."\\]{1,64}$/;

/**
 * The dot-joined paths of the object members a schema declares (`properties`, followed through
 * allOf/anyOf/oneOf), objects included, at most 8 names deep: what a `payload.<path>` filter can
 * name. Array items are not followed: a path names object members only.
 */
export function schemaPaths(schema: unknown, depthMax = PATH_DEPTH_MAX): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown, prefix: string, depth: number) => {
    if (typeof node !== "object" || node === null || depth >= depthMax) return;
    const s = node as Schema;
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      if (!PATH_NAME.test(name)) continue;
      const path = join(prefix, name);
      paths.add(path);
      walk(child, path, depth + 1);
    }
    for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])])
      walk(part, prefix, depth);
  };
  walk(schema, "", 0);
  return [...paths].sort();
}

/**
 * The values a schema allows at a dot-joined path, when it names them (enum, const, a boolean
 * type), through allOf/anyOf/oneOf; [] when any value of a kind is allowed or the path is unknown.
 */
export function schemaValuesAt(schema: unknown, path: string): unknown[] {
  const values: unknown[] = [];
  const visit = (node: unknown, names: readonly string[]) => {
    if (typeof node !== "object" || node === null) return;
    const s = node as Schema;
    for (const part of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) visit(part, names);
    const [name, ...rest] = names;
    if (name !== undefined) {
      visit(s.properties?.[name], rest);
      return;
    }
    if (s.const !== undefined) values.push(s.const);
    values.push(...(s.enum ?? []));
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes("boolean")) values.push(true, false);
  };
  if (path.length > 0) visit(schema, path.split("."));
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
