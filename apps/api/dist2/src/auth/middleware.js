import { authenticate } from "./tokens.js";
/**
 * Reads the bearer token without answering yet: a failure is kept in `res.locals.authError`, so
 * the per-address rate limit can count failed attempts before the 401 goes out.
 */
export function identifyUser(keys) {
    return (req, res, next) => {
        try {
            res.locals.userId = authenticate(req.get("authorization"), keys);
        }
        catch (error) {
            res.locals.authError = error;
        }
        next();
    };
}
/** Ends unauthenticated requests with their 401. */
export const requireUser = (_req, res, next) => {
    next(res.locals.userId === undefined ? res.locals.authError : undefined);
};
export const isAuthenticated = (res) => typeof res.locals.userId === "string";
export function userIdOf(res) {
    const userId = res.locals.userId;
    if (typeof userId !== "string")
        throw new Error("route reached without authentication");
    return userId;
}
//# sourceMappingURL=middleware.js.map