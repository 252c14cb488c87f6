import { describe, expect, it } from "vitest";
import { consumeTokenFromUrl, getSession, readTokenClaims, signOut } from "../src/lib/session";

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (claims: object) =>
  `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`;

describe("session", () => {
  it("reads the user and expiry from a token", () => {
    expect(readTokenClaims(jwt({ sub: "alice", exp: 2_000_000_000 }))).toEqual({
      sub: "alice",
      exp: 2_000_000_000,
    });
    expect(readTokenClaims("not-a-token")).toHaveProperty("error");
    expect(readTokenClaims(jwt({ exp: 2_000_000_000 }))).toEqual({
      error: "The token names no user (no `sub` claim).",
    });
  });

  it("signs in from the link's fragment and removes the token from the address bar", () => {
    const token = jwt({ sub: "demo", exp: Math.floor(Date.now() / 1000) + 3600 });
    history.replaceState(null, "", `/jobs?status=failed#token=${token}`);
    consumeTokenFromUrl();
    expect(window.location.hash).toBe("");
    expect(window.location.pathname + window.location.search).toBe("/jobs?status=failed");
    expect(getSession()).toMatchObject({ status: "signed-in", userId: "demo" });
    expect(localStorage.getItem("jobdeck.token")).toBe(token);
    signOut();
    expect(getSession()).toEqual({ status: "signed-out", reason: undefined });
    expect(localStorage.getItem("jobdeck.token")).toBeNull();
  });

  it("says why when the link's token has expired", () => {
    history.replaceState(null, "", `/#token=${jwt({ sub: "demo", exp: 1 })}`);
    consumeTokenFromUrl();
    expect(getSession()).toMatchObject({ status: "signed-out", reason: expect.stringContaining("expired") });
  });
});
