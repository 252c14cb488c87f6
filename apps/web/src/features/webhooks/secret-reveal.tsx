import { useEffect, useRef } from "react";
import { CopyButton } from "../../components/copy-button";

/**
 * A signing secret, shown the one time the server gives it (create, rotate). It lives only in the
 * state of the page that received it: not in the query cache, the address or storage, so leaving
 * the page loses it for good, as the panel says.
 */
export function SecretReveal({
  secret,
  onDone,
  doneLabel,
}: {
  secret: string;
  onDone: () => void;
  doneLabel: string;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="panel secret-reveal" aria-labelledby="secret-heading">
      <h2 id="secret-heading" ref={headingRef} tabIndex={-1}>
        Signing secret
      </h2>
      <p role="alert">
        <strong>Copy it now: you will not see it again.</strong> jobdeck keeps it to sign messages, but never
        shows it twice. If it is lost, rotate the secret to get a new one.
      </p>
      <div className="secret-line">
        <code aria-label="Signing secret">{secret}</code>
        <CopyButton text={secret} what="signing secret" className="button small">
          Copy secret
        </CopyButton>
      </div>
      <p className="muted small">
        Receivers verify messages with it, e.g. with the <code>standardwebhooks</code> package:{" "}
        <code>new Webhook(secret).verify(body, headers)</code>.
      </p>
      <button type="button" className="button primary" onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  );
}
