import { parseArgs } from "node:util";
import { resolveTokenKeys } from "../auth/keys.js";
import { parseTtl, signToken } from "../auth/tokens.js";
import { configOrExit } from "../boot.js";
import { processEnvironment } from "../config.js";
/** `npm run -s token -- --sub alice [--ttl 1h]`: prints a JWT signed with the configured key. */
const { values } = parseArgs({
    options: { sub: { type: "string" }, ttl: { type: "string", default: "1h" } },
    strict: true,
});
try {
    if (!values.sub)
        throw new Error("--sub <userId> is required");
    if (values.sub.length > 255)
        throw new Error("--sub must be at most 255 characters");
    const keys = resolveTokenKeys(configOrExit(processEnvironment()));
    console.log(signToken(keys, values.sub, parseTtl(values.ttl ?? "1h")));
}
catch (error) {
    console.error(`token: ${error.message}`);
    process.exit(1);
}
//# sourceMappingURL=token.js.map