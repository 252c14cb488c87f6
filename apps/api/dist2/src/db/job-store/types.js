/** The error a job gets when the worker of its last attempt vanished. */
export const LEASE_EXPIRED_ERROR = {
    code: "LEASE_EXPIRED",
    message: "The worker running the last attempt stopped renewing its lease (it crashed, was killed or lost the database)",
};
//# sourceMappingURL=types.js.map