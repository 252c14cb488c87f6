import { lazy, Suspense } from "react";

// Its own chunk (the Markdown parser, ~12 kB gzipped), fetched when a page first shows Markdown.
const MarkdownView = lazy(() => import("./markdown/markdown-view"));

/**
 * Text written in Markdown (a job type's description), shown formatted; the source text stands in
 * while the renderer loads.
 */
export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={`markdown${className ? ` ${className}` : ""}`}>
      <Suspense fallback={<p>{source}</p>}>
        <MarkdownView source={source} />
      </Suspense>
    </div>
  );
}
