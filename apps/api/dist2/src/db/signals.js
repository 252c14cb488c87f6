import { EventEmitter } from "node:events";
export function createSignals() {
    const emitter = new EventEmitter();
    // Every SSE connection and worker slot may listen; the default limit of 10 is for leak detection.
    emitter.setMaxListeners(0);
    let listener;
    const emit = (channel, payload = "") => {
        emitter.emit(channel, payload);
    };
    return {
        on: (channel, fn) => {
            emitter.on(channel, fn);
            return () => {
                emitter.off(channel, fn);
            };
        },
        emit,
        isCrossProcess: () => listener?.isConnected() ?? false,
        attach: (listen) => {
            listener ??= listen?.(emit);
        },
        close: async () => {
            await listener?.close();
        },
    };
}
//# sourceMappingURL=signals.js.map