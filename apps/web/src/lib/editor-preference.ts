/**
 * Which payload editor the reader wants: the code editor (highlighting, errors at their line,
 * completion from the schema) or a plain text area (what a screen reader or a very large paste
 * handles best). Kept in this browser, and the same for every form that has a payload.
 */
import { useSyncExternalStore } from "react";

export type EditorPreference = "code" | "plain";

const KEY = "jobdeck.payloadEditor";
const listeners = new Set<() => void>();

export function editorPreference(): EditorPreference {
  return localStorage.getItem(KEY) === "plain" ? "plain" : "code";
}

export function setEditorPreference(preference: EditorPreference) {
  if (preference === "code") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, preference);
  for (const listener of listeners) listener();
}

export function useEditorPreference(): EditorPreference {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, editorPreference);
}
