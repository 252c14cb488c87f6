/**
 * The signed-in user: a bearer token kept in localStorage (so every tab of the dashboard shares it,
 * and a job opened in a new tab needs no second sign-in) and the `sub` and `exp` read from it.
 * The token is only decoded here, never verified: the API verifies it on every request, and a 401
 * brings the user back to the sign-in page with the server's reason.
 */
import { useSyncExternalStore } from "react";

const STORAGE_KEY = "jobdeck.token";

export type Session =
  | { status: "signed-in"; token: string; userId: string; expiresAt: number | undefined }
  | { status: "signed-out"; reason: string | undefined };

export type TokenClaims = { sub: string; exp: number | undefined };

/** Reads `sub` and `exp` from a JWT; an error message when the text cannot be a usable token. */
export function readTokenClaims(token: string): TokenClaims | { error: string } {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
    return { error: "This is not a JSON Web Token (three base64url parts separated by dots)." };
  }
  let claims: unknown;
  try {
    const base64 = (parts[1] ?? "").replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return { error: "The token's claims cannot be read." };
  }
  if (typeof claims !== "object" || claims === null) return { error: "The token's claims cannot be read." };
  const { sub, exp } = claims as { sub?: unknown; exp?: unknown };
  if (typeof sub !== "string" || sub.length === 0)
    return { error: "The token names no user (no `sub` claim)." };
  return { sub, exp: typeof exp === "number" ? exp : undefined };
}

export function isExpired(claims: TokenClaims, now = Date.now()): boolean {
  return claims.exp !== undefined && claims.exp * 1000 <= now;
}

function sessionFromToken(token: string | null, reason?: string): Session {
  if (!token) return { status: "signed-out", reason };
  const claims = readTokenClaims(token);
  if ("error" in claims)
    return { status: "signed-out", reason: `The saved token is not usable. ${claims.error}` };
  if (isExpired(claims)) {
    return { status: "signed-out", reason: "Your session expired. Sign in again." };
  }
  return { status: "signed-in", token, userId: claims.sub, expiresAt: claims.exp && claims.exp * 1000 };
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeStorage(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage can be disabled (private mode, policy); the session then lasts as long as the page.
  }
}

let current: Session = sessionFromToken(readStorage());
const listeners = new Set<() => void>();

function publish(next: Session): void {
  current = next;
  for (const listener of listeners) listener();
}

export function getSession(): Session {
  return current;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribeSession, getSession);
}

/** Stores a token that has been checked with readTokenClaims. */
export function signIn(token: string): Session {
  writeStorage(token);
  publish(sessionFromToken(token));
  return current;
}

/** `reason` is shown on the sign-in page: why the user is there (absent when they chose to sign out). */
export function signOut(reason?: string): void {
  writeStorage(null);
  publish({ status: "signed-out", reason });
}

/** The token the next request should carry, if any. */
export function currentToken(): string | undefined {
  return current.status === "signed-in" ? current.token : undefined;
}

/**
 * The link printed by `npm start` ends in `#token=<JWT>`: sign in with it and remove it from the
 * address bar and history, so it is not shared, bookmarked or left in the back stack.
 */
export function consumeTokenFromUrl(location: Location = window.location): void {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = fragment.get("token");
  if (token === null) return;
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(history.state, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
  const claims = readTokenClaims(token);
  if ("error" in claims) {
    signOut(`The sign-in link is not usable. ${claims.error}`);
  } else if (isExpired(claims)) {
    signOut("The sign-in link has expired. Restart the server for a new one, or paste a fresh token.");
  } else {
    signIn(token);
  }
}

/**
 * A sign-in link opened in a tab that already shows the dashboard changes only the fragment, so
 * the page does not load again: take the token when the fragment changes, as on the first load.
 */
export function followSignInLinks(): () => void {
  const onHashChange = () => consumeTokenFromUrl();
  window.addEventListener("hashchange", onHashChange);
  return () => window.removeEventListener("hashchange", onHashChange);
}

/** Another tab signed in or out: follow it. */
export function followOtherTabs(): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    publish(sessionFromToken(event.newValue, event.newValue ? undefined : "You signed out in another tab."));
  };
  window.addEventListener("storage", onStorage);
  return () => window.removeEventListener("storage", onStorage);
}
