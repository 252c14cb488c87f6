const kindOf = (value) => value === null
    ? "null"
    : value === true
        ? "true"
        : value === false
            ? "false"
            : typeof value === "number"
                ? "number"
                : typeof value === "string"
                    ? "string"
                    : "composite";
/**
 * SQLite: json_type tells the JSON kind at a path (json_extract alone gives NULL for both a JSON
 * null and a missing path, and 1 for both true and the number 1). A path's names are quoted labels.
 * Objects and arrays compare as their minified text (SQLite keeps members in the order written).
 */
export const sqliteJsonFilters = {
    jsonEquals(column, name, path, value, params) {
        params[`${name}_path`] = `$${path.map((part) => `."${part}"`).join("")}`;
        const type = `json_type(${column}, @${name}_path)`;
        const extracted = `json_extract(${column}, @${name}_path)`;
        const kind = kindOf(value);
        switch (kind) {
            case "true":
            case "false":
            case "null":
                return `${type} = '${kind}'`;
            case "string":
                params[`${name}_value`] = value;
                return `(${type} = 'text' AND ${extracted} = @${name}_value)`;
            case "number":
                params[`${name}_value`] = value;
                return `(${type} IN ('integer', 'real') AND ${extracted} = @${name}_value)`;
            case "composite":
                params[`${name}_value`] = JSON.stringify(value);
                return `(${type} IN ('object', 'array') AND ${extracted} = json(@${name}_value))`;
        }
    },
    jsonArrayHas: (column, param, mode) => mode === "any"
        ? `EXISTS (SELECT 1 FROM json_each(${column}) WHERE "value" IN (SELECT "value" FROM json_each(@${param})))`
        : `(${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(@${param}) AS "wanted"
          WHERE "wanted"."value" NOT IN (SELECT "value" FROM json_each(${column}))))`,
    jsonMemberText: (column, member) => `json_extract(${column}, '$.${member}')`,
};
/**
 * PostgreSQL (jsonb): `->` with a text key reads object members only, as SQLite's labels do; jsonb
 * equality compares numbers by value and objects whatever their members' order.
 */
export const postgresJsonFilters = {
    jsonEquals(column, name, path, value, params) {
        const steps = path.map((part, i) => {
            params[`${name}_${i}`] = part;
            return ` -> @${name}_${i}::text`;
        });
        params[`${name}_value`] = JSON.stringify(value);
        return `(${column}${steps.join("")}) = @${name}_value::jsonb`;
    },
    jsonArrayHas: (column, param, mode) => `${column} ${mode === "any" ? "?|" : "?&"} @${param}::text[]`,
    jsonMemberText: (column, member) => `(${column} ->> '${member}')`,
};
//# sourceMappingURL=json-filters.js.map