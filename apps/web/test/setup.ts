import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { setEditorPreference } from "../src/lib/editor-preference";

// Payload fields as plain text areas: CodeMirror measures text with Range.getClientRects, which
// jsdom lacks. The code editor is tested in Chromium (e2e/ui/json-editor.spec.ts), its completion
// and marks here as functions of an editor state (json-editor-*.test.ts).
beforeEach(() => setEditorPreference("plain"));

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
