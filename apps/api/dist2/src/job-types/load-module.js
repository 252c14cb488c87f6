import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { JobTypeError } from "./registry.js";
/**
 * JOB_TYPES_MODULE: a JavaScript module, resolved against the working directory, whose default
 * export (or `jobTypes` export) is a job type or an array of them. The registry checks each one
 * as it checks the built-in types.
 */
export async function loadJobTypesModule(specifier, cwd) {
    const path = resolve(cwd, specifier);
    let loaded;
    try {
        loaded = (await import(pathToFileURL(path).href));
    }
    catch (error) {
        throw new JobTypeError(`cannot load ${path}: ${error.message}`, { cause: error });
    }
    const exported = loaded.jobTypes ?? loaded.default;
    if (exported === undefined) {
        throw new JobTypeError(`${path} exports no job types: export an array of them as default or as jobTypes`);
    }
    return Array.isArray(exported) ? exported : [exported];
}
//# sourceMappingURL=load-module.js.map