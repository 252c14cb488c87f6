import { randomUUID } from "node:crypto";
const ACCEPTABLE = /^[\x21-\x7e]{1,200}$/;
/** Echoes a sane `X-Request-Id` or makes one; logs and error bodies carry it (docs/api.md §3.4). */
export const requestId = (req, res, next) => {
    const given = req.get("x-request-id");
    const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader("X-Request-Id", id);
    next();
};
export const requestIdOf = (res) => typeof res.locals.requestId === "string" ? res.locals.requestId : "";
//# sourceMappingURL=request-id.js.map