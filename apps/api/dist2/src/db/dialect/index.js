/** The one place a URL picks a database kind: `postgresql://` (or `postgres://`), else SQLite. */
export const providerOf = (url) => /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
const loaded = new Map();
/**
 * A database kind's dialect, loaded with its driver the first time a URL names it: a process on
 * SQLite never loads pg and its dependencies, one on PostgreSQL never loads better-sqlite3 (each
 * stayed resident, part of the server's RSS at rest, issue 14's R9).
 */
export async function dialectOf(url) {
    const provider = providerOf(url);
    let dialect = loaded.get(provider);
    if (!dialect) {
        dialect =
            provider === "postgresql"
                ? (await import("./postgresql.js")).postgresDialect
                : (await import("./sqlite.js")).sqliteDialect;
        loaded.set(provider, dialect);
    }
    return dialect;
}
/** The dialects this process has loaded: a database error can only come from one of them. */
export const loadedDialects = () => loaded.values();
//# sourceMappingURL=index.js.map