import { useEffect, useId, useRef, useState, type ReactNode } from "react";

type PopoverProps = {
  /** The button's accessible name and text. */
  label: ReactNode;
  buttonClassName?: string;
  children: ReactNode;
};

/**
 * A button that opens a panel below it (a disclosure): Escape or a click outside closes it and
 * gives focus back to the button; focus moving out of it closes it too.
 */
export function Popover({ label, buttonClassName, children }: PopoverProps) {
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [isOpen]);

  return (
    <div
      className="popover"
      ref={rootRef}
      onKeyDown={(event) => {
        if (event.key === "Escape" && isOpen) {
          event.stopPropagation();
          setIsOpen(false);
          buttonRef.current?.focus();
        }
      }}
      onBlur={(event) => {
        if (isOpen && event.relatedTarget && !rootRef.current?.contains(event.relatedTarget)) {
          setIsOpen(false);
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={buttonClassName ?? "filter-button"}
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
      >
        {label}
        <span aria-hidden="true" className="chevron">
          ▾
        </span>
      </button>
      <div id={panelId} className="popover-panel" hidden={!isOpen}>
        {children}
      </div>
    </div>
  );
}
