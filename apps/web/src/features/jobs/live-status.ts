import { useSyncExternalStore } from "react";

/**
 * The state of the live event stream, for the header's indicator and for hooks that poll when
 * events are not coming ("off": signed out).
 */
export type LiveStatus = "off" | "connecting" | "live" | "reconnecting";

let status: LiveStatus = "off";
const listeners = new Set<() => void>();

export function setLiveStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => status,
  );
}
