import { dialectOf } from "./dialect/index.js";
import { createSignals } from "./signals.js";
export { providerOf } from "./dialect/index.js";
/**
 * Connections one process opens on PostgreSQL: `readPoolSize` + `writePoolSize` + 1 listener. On
 * SQLite: one read connection and one write connection.
 */
export async function openDatabase(url, options) {
    const dialect = await dialectOf(url);
    const location = dialect.locationOf(url);
    const signals = createSignals();
    const connections = await dialect.connect(location, {
        logger: options.logger,
        readPoolSize: options.readPoolSize ?? 10,
        writePoolSize: options.writePoolSize ?? 4,
        emit: signals.emit,
    });
    signals.attach(connections.listen);
    return {
        provider: dialect.provider,
        location,
        sql: connections.sql,
        read: options.onRead ? heard(connections.read, options.onRead) : connections.read,
        writer: connections.writer,
        appendEvents: connections.appendEvents,
        isClaimPeekWorthwhile: connections.isClaimPeekWorthwhile,
        isSharedByProcesses: connections.isSharedByProcesses,
        signals,
        close: async () => {
            await signals.close();
            await connections.close();
        },
    };
}
function heard(read, onRead) {
    return {
        all: (sql, params = {}) => {
            onRead(sql, params);
            return read.all(sql, params);
        },
    };
}
/** `IN (@name_0, @name_1, …)` for a list of values, added to `params`: each value its own parameter. */
export function inList(name, values, params) {
    return `(${values
        .map((value, i) => {
        params[`${name}_${i}`] = value;
        return `@${name}_${i}`;
    })
        .join(", ")})`;
}
//# sourceMappingURL=index.js.map