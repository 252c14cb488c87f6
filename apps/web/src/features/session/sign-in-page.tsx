import { useId, useState } from "react";
import { tsr } from "../../lib/api-client";
import { toProblem } from "../../lib/api-errors";
import { isExpired, readTokenClaims, signIn } from "../../lib/session";

/**
 * Shown instead of any page while signed out; the address stays, so after signing in the user
 * lands where the link they opened pointed.
 */
export function SignInPage({ reason }: { reason: string | undefined }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [isChecking, setIsChecking] = useState(false);
  const ids = { help: useId(), error: useId() };

  const submit = async () => {
    const candidate = token.trim().replace(/^Bearer\s+/i, "");
    const claims = readTokenClaims(candidate);
    if ("error" in claims) return setError(claims.error);
    if (isExpired(claims)) return setError("This token has expired. Mint a new one.");
    setIsChecking(true);
    setError(undefined);
    try {
      // Ask the server before storing the token: a wrong secret shows here, not on the next page.
      const response = await tsr.jobs.listJobTypes.query({
        extraHeaders: { authorization: `Bearer ${candidate}` },
      });
      if (response.status === 200) signIn(candidate);
      else setError(`The server refused this token: ${toProblem(response).message}`);
    } catch (failure) {
      setError(toProblem(failure).message);
    } finally {
      setIsChecking(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <div className="panel sign-in-panel">
        <h1>Sign in to jobdeck</h1>
        {reason && (
          <p className="sign-in-reason" role="alert">
            {reason}
          </p>
        )}
        <p>
          Open the link that <code>npm start</code> prints (it signs you in as <code>demo</code>), or paste a
          token below.
        </p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <label htmlFor="token">Token</label>
          <textarea
            id="token"
            rows={4}
            value={token}
            spellCheck={false}
            autoComplete="off"
            placeholder="eyJhbGciOi…"
            aria-describedby={`${ids.help}${error ? ` ${ids.error}` : ""}`}
            aria-invalid={error ? true : undefined}
            onChange={(event) => {
              setToken(event.target.value);
              setError(undefined);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <p id={ids.help} className="help muted">
            Mint one with <code>npm run token -- --sub &lt;your user id&gt;</code>. It is kept in this browser
            until you sign out.
          </p>
          {error && (
            <p id={ids.error} className="field-issues" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={isChecking || token.trim() === ""}>
            {isChecking ? "Checking…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
