import { parseJson } from "../db/rows.js";
const iso = (ms) => new Date(ms).toISOString();
/** The worker's id out of a claim's lease owner, `<workerId>#<claim>`. */
export const workerIdOf = (leaseOwner) => {
    const hash = leaseOwner.lastIndexOf("#");
    return hash < 0 ? leaseOwner : leaseOwner.slice(0, hash);
};
export const toAttempt = (row) => ({
    attempt: row.attempt,
    startedAt: iso(row.startedAt),
    finishedAt: row.finishedAt === null ? null : iso(row.finishedAt),
    outcome: row.outcome,
    error: parseJson(row.error),
    workerId: workerIdOf(row.leaseOwner),
});
export const toLogLine = (row) => ({
    seq: row.seq,
    attempt: row.attempt,
    level: row.level,
    message: row.message,
    fields: parseJson(row.fields),
    at: iso(row.at),
});
//# sourceMappingURL=mapper.js.map