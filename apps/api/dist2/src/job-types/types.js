/**
 * A failure that retrying cannot fix: the job fails at once instead of going back to pending.
 * Modules loaded with JOB_TYPES_MODULE need not import this class: the worker recognises any error
 * with `permanent: true`, and takes `code` from any error that has an UPPER_SNAKE one.
 */
export class PermanentJobError extends Error {
    code;
    permanent = true;
    constructor(code, message, options) {
        super(message, options);
        this.name = "PermanentJobError";
        this.code = code;
    }
}
/** A failed attempt with a code that says what happened; the job is retried like any thrown error. */
export class RetryableJobError extends Error {
    code;
    constructor(code, message, options) {
        super(message, options);
        this.name = "RetryableJobError";
        this.code = code;
    }
}
/** Keeps the payload type of a definition tied to its schema. */
export function defineJobType(definition) {
    return definition;
}
//# sourceMappingURL=types.js.map