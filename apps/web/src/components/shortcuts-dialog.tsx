import { forwardRef } from "react";

export const SHORTCUTS: [keys: string, action: string][] = [
  ["/", "Jump to a job by id"],
  ["n", "New job"],
  ["r", "Refresh the list from the top"],
  ["j / ↓, k / ↑", "Next / previous row"],
  ["PgDn, PgUp, Home, End", "Move by a screen, to the first or last loaded row"],
  ["Enter or o", "Open the focused job"],
  ["c", "Copy the focused job's id"],
  ["x", "Tick or untick the focused job for a bulk action"],
  ["Esc", "Back to the list (from a job), close a menu"],
  ["Ctrl+Enter", "Create the job (in the payload editor)"],
  ["?", "This help"],
];

/** The keyboard reference, as a native modal dialog (focus trap and Esc come with it). */
export const ShortcutsDialog = forwardRef<HTMLDialogElement>(function ShortcutsDialog(_props, ref) {
  return (
    <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="button">
          Close
        </button>
      </form>
    </dialog>
  );
});
