/**
 * Short messages at the bottom of the screen ("Copied", "Job created"), read out by screen readers
 * through the polite live region that shows them.
 */
import { useSyncExternalStore } from "react";

export type Notice = {
  id: number;
  message: string;
  tone: "info" | "error";
  action?: { label: string; href: string };
};

const TIMEOUT_MS = 6000;
let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(next: Notice[]) {
  notices = next;
  for (const listener of listeners) listener();
}

export function dismissNotice(id: number): void {
  emit(notices.filter((notice) => notice.id !== id));
}

export function notify(message: string, options: Omit<Partial<Notice>, "id" | "message"> = {}): void {
  const notice: Notice = { id: nextId++, message, tone: options.tone ?? "info", action: options.action };
  // Keep the screen calm: at most three at once, newest last.
  emit([...notices.slice(-2), notice]);
  setTimeout(() => dismissNotice(notice.id), notice.action ? TIMEOUT_MS * 2 : TIMEOUT_MS);
}

export function useNotices(): Notice[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notices,
  );
}
