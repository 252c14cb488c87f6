import { contract } from "@jobdeck/contract";
import { isAppRoute } from "@ts-rest/core";
import { outsideContractPaths } from "./outside-contract.js";
function routesOf(router) {
    return isAppRoute(router) ? [router] : Object.values(router).flatMap(routesOf);
}
/**
 * The paths of the OpenAPI document and their methods, read as @ts-rest/open-api reads the
 * contract (`:jobId` is `{jobId}`), without generating the document: generating it at boot made
 * V8's heap grow by tens of MB that stayed resident (issue 14's R9), so document.ts runs with the
 * first GET /openapi.json. test/openapi-document.test.ts holds the two in step.
 */
export function documentedPaths() {
    const paths = {};
    for (const route of routesOf(contract)) {
        const template = route.path.replace(/:(\w+)/g, "{$1}");
        paths[template] = { ...paths[template], [route.method.toLowerCase()]: true };
    }
    return { ...paths, ...outsideContractPaths() };
}
//# sourceMappingURL=paths.js.map