import { Component, Suspense, type ReactNode } from "react";

type State = { error: unknown };

/**
 * A page loaded on first visit (React.lazy): "Loading…" while its code arrives, and, when it cannot
 * arrive (the network dropped, or a new deploy removed the old chunk), a message and a reload
 * instead of an empty screen.
 */
export class PageBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error !== undefined) {
      return (
        <div className="panel problem" role="alert">
          <h2>This page could not be loaded</h2>
          <p>
            {this.state.error instanceof Error
              ? this.state.error.message
              : "Its code did not arrive. Check the connection and reload."}
          </p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      );
    }
    return (
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading…
          </p>
        }
      >
        {this.props.children}
      </Suspense>
    );
  }
}
