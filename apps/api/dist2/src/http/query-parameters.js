import { validationFailed } from "../errors.js";
/**
 * Unknown query parameters are a 400 on every route (docs/api.md §3.3), so that a mistyped filter
 * never passes unnoticed. A route that declares a query refuses them through its strict schema;
 * this refuses every parameter on a contract route that declares none. Run by ts-rest before each
 * route (`globalMiddleware`), so routes added later are covered too.
 */
export const refuseUndeclaredQuery = (req, _res, next) => {
    const route = req.tsRestRoute;
    const names = Object.keys(req.query);
    if (route && !route.query && names.length > 0) {
        next(validationFailed(names.map((path) => ({ path, message: "is not an accepted field" }))));
        return;
    }
    next();
};
//# sourceMappingURL=query-parameters.js.map