import type { ReactNode } from "react";
import { copyText } from "../lib/clipboard";
import { notify } from "../lib/notices";

type CopyButtonProps = {
  text: string;
  /** What is copied, for the button's name and the confirmation: "job id", "payload". */
  what: string;
  className?: string;
  tabIndex?: number;
  children?: ReactNode;
  /**
   * The icon is drawn by the button's CSS (a background image) instead of an inline SVG: for the
   * job list's rows, where the SVG's three layout objects a row were a measurable part of mounting
   * the rows that scroll in (bench/ANALYSIS.md, R8).
   */
  isIconInCss?: boolean;
};

export function CopyButton({
  text,
  what,
  className,
  tabIndex,
  children,
  isIconInCss = false,
}: CopyButtonProps) {
  return (
    <button
      type="button"
      className={className ?? "icon-button"}
      aria-label={`Copy ${what}`}
      title={`Copy ${what}`}
      tabIndex={tabIndex}
      onClick={(event) => {
        event.stopPropagation();
        void copyText(text).then((isCopied) =>
          notify(isCopied ? `Copied ${what}` : `Could not copy ${what}`, {
            tone: isCopied ? "info" : "error",
          }),
        );
      }}
    >
      {children ?? (isIconInCss ? null : <CopyIcon />)}
    </button>
  );
}

export function CopyIcon() {
  return (
    <svg
      aria-hidden="true"
      width="14"
      height="14"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1" />
    </svg>
  );
}
