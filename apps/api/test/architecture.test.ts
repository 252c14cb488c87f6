import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths.js";

/**
 * The import graph of apps/api/src, read from the source: the layering ARCHITECTURE.md describes,
 * held by a test rather than by good intentions.
 */
const SRC = join(repoRoot, "apps/api/src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Relative imports of a file, type-only ones included, as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^;]*?from\s+"(\.[^"]+)"|import\("(\.[^"]+)"\)/g),
  ].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, ".ts"))));
}

const graph = new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(file)]));

describe("the api's import graph", () => {
  it("has no cycles", () => {
    const cycles: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push([...path.slice(path.indexOf(node)), node]);
        return;
      }
      state.set(node, "open");
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
      state.set(node, "done");
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("keeps the data layer below everything else: db/ imports only db/ (and where the repository is)", () => {
    const outside = [...graph]
      .filter(([file]) => file.startsWith("db/"))
      .flatMap(([file, imports]) =>
        imports
          .filter((i) => !i.startsWith("db/") && i !== "paths.ts" && !i.startsWith("../generated/"))
          .map((i) => `${file} → ${i}`),
      );
    expect(outside).toEqual([]);
  });

  it("keeps every dialect difference in db/dialect/: nothing else imports a dialect directly", () => {
    const direct = [...graph]
      .filter(([file]) => !file.startsWith("db/dialect/") && file !== "db/unavailable.ts")
      .flatMap(([file, imports]) =>
        imports.filter((i) => /^db\/dialect\/(sqlite|postgresql)\.ts$/.test(i)).map((i) => `${file} → ${i}`),
      );
    expect(direct).toEqual([]);
  });
});
