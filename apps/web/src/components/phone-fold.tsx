import { useId, useState, type ReactNode } from "react";

type PhoneFoldProps = {
  /** The button's words, e.g. "Filters". */
  label: string;
  /** How many settings are in force inside, said on the button so that a closed fold hides nothing. */
  count?: number;
  children: ReactNode;
};

/**
 * On a phone (styles.css: max-width 700px) the contents fold behind one button, so that the list
 * starts near the top of the screen; wider screens show them as they are, with no button and no
 * extra box in the layout (display: contents).
 */
export function PhoneFold({ label, count = 0, children }: PhoneFoldProps) {
  const [isOpen, setIsOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="phone-fold" data-open={isOpen}>
      <button
        type="button"
        className="button phone-fold-toggle"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
      >
        {label}
        {count > 0 && <span className="phone-fold-count"> ({count})</span>}
      </button>
      <div id={panelId} className="phone-fold-panel">
        {children}
      </div>
    </div>
  );
}
