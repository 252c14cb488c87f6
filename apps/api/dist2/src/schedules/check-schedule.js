import { DEFAULT_QUEUE, DEFAULT_TIMEZONE } from "@jobdeck/contract";
import { jsonText } from "../db/rows.js";
import { validationFailed } from "../errors.js";
import { zodDetails } from "../http/validation.js";
import { cronProblem, nextFireAfter } from "@jobdeck/contract/schedule-times";
import { isTimeZone } from "@jobdeck/contract/schedule-times";
/**
 * A POST or PUT body as it will be stored (§12): the type registered and the payload valid for it
 * (as a create checks them, §6), the cron Vixie's and the zone an IANA one; every problem in one
 * 400, nothing written. Omitted optional fields take their defaults.
 */
export function checkScheduleBody(registry, body) {
    const details = [];
    const cronIssue = cronProblem(body.cron);
    if (cronIssue)
        details.push({ path: "cron", message: cronIssue });
    const timezone = body.timezone ?? DEFAULT_TIMEZONE;
    if (!isTimeZone(timezone))
        details.push({ path: "timezone", message: "is not an IANA time zone (such as Europe/Berlin or UTC)" });
    const definition = registry.get(body.type);
    if (!definition) {
        details.push({
            path: "type",
            message: `is not a known job type; known types: ${registry.names().join(", ")}`,
        });
    }
    else {
        const parsed = definition.payloadSchema.safeParse(body.payload);
        if (!parsed.success)
            details.push(...zodDetails(parsed.error, ["payload"]));
    }
    if (details.length > 0)
        throw validationFailed(details);
    return {
        name: body.name,
        cron: body.cron.trim().split(/\s+/).join(" "),
        timezone,
        type: body.type,
        payload: jsonText(body.payload),
        queue: body.queue ?? DEFAULT_QUEUE,
        priority: body.priority ?? 0,
        overlap: body.overlap ?? "allow",
        catchUp: body.catchUp ?? "latest",
    };
}
/** The first fire time strictly after `now`. */
export function nextRunAfter(settings, now) {
    const at = nextFireAfter(settings, now.getTime());
    return at === null ? null : new Date(at);
}
//# sourceMappingURL=check-schedule.js.map