import { notFound } from "../errors.js";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A job id as stored, or the same 404 a missing job gets (docs/api.md §7): ids are never told apart. */
export function parseJobId(raw) {
    if (!UUID.test(raw))
        throw notFound();
    return raw.toLowerCase();
}
//# sourceMappingURL=job-id.js.map