import type { Config } from "../config.js";
import { loadJobTypesModule } from "./load-module.js";
import {
  createBuiltInJobTypes,
  createJobTypeRegistry,
  JobTypeError,
  type JobTypeRegistry,
} from "./registry.js";

/** The built-in job types and those of JOB_TYPES_MODULE, checked alike. */
export async function loadJobTypes(
  config: Pick<Config, "httpRequestAllowPrivate" | "jobTypesModule">,
  cwd = process.cwd(),
): Promise<JobTypeRegistry> {
  const builtIn = createBuiltInJobTypes({ httpRequestAllowPrivate: config.httpRequestAllowPrivate });
  if (!config.jobTypesModule) return createJobTypeRegistry(builtIn);
  try {
    return createJobTypeRegistry([...builtIn, ...(await loadJobTypesModule(config.jobTypesModule, cwd))]);
  } catch (error) {
    if (error instanceof JobTypeError) {
      throw new JobTypeError(`JOB_TYPES_MODULE ${config.jobTypesModule}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
