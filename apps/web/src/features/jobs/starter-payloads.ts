import { exampleFor } from "../../lib/json-schema";

/** An 8×8 PNG, so that the image.thumbnail example runs as it is. */
const TINY_PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAgElEQVR4nAXBIQEAIAxFwcWhBjUWYmYN0GgaYBbi66cxNCAHd9ac7riTznS2I+c61oIeeJDBDHag4AbWBn3ggxzMwR5ocAfWFn3hi1zMxV5ocRfWil54kcUsdqHiFtZEFy5STLGFxBXWDv3ghzzMwz7ocA/WHv3hj3zMx37ocR8fmgx54VMkKG8AAAAASUVORK5CYII=";

/** Examples for the built-in types: each one valid as it stands and showing the useful fields. */
const STARTERS: Record<string, unknown> = {
  echo: { message: "Hello from jobdeck", count: 3 },
  sleep: { ms: 2000 },
  "markdown.render": { markdown: "# Release notes\n\n- Faster lists\n- **Live** updates\n" },
  "http.request": { url: "https://example.com/", method: "GET", timeoutMs: 10000 },
  "image.thumbnail": { source: TINY_PNG, width: 64, format: "png" },
};

/** The payload the form starts with for `type`: a hand-written example, or one built from the schema. */
export function starterPayload(type: string, payloadSchema: unknown): string {
  const example = Object.hasOwn(STARTERS, type) ? STARTERS[type] : exampleFor(payloadSchema);
  return JSON.stringify(example, null, 2);
}
