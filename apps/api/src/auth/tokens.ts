import jwt from "jsonwebtoken";
import { AppError } from "../errors.js";
import type { TokenKeys } from "./keys.js";

const CLOCK_TOLERANCE_SECONDS = 5;
/** Far above any real token; refusing early keeps signature checks off attacker-sized input. */
const MAX_TOKEN_LENGTH = 8192;
const SUB_MAX = 255;

const CHALLENGE = 'Bearer realm="jobdeck"';
const NOT_BEARER = "Authorization header must be: Bearer <token>";

/**
 * A request that brought no Bearer token (no header, another scheme, no token after the scheme):
 * the challenge alone, without an error code (RFC 6750 §3.1), since nothing was refused.
 */
const noToken = (message: string) =>
  new AppError("UNAUTHORIZED", message, { headers: { "WWW-Authenticate": CHALLENGE } });

/** A token that was presented and refused, for whatever reason: RFC 6750's `invalid_token`. */
const unauthorized = (message: string) =>
  new AppError("UNAUTHORIZED", message, {
    headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
  });

/** A token that passed every check, with the claims whose check depends on the time. */
type Verified = { sub: string; exp: number; nbf: number | undefined };

/** Tokens verified lately, per key set; the oldest goes first when full. */
const VERIFIED_MAX = 1_000;
const verifiedByKeys = new WeakMap<TokenKeys, Map<string, Verified>>();

/**
 * A token verified before, if it still holds now: its signature, algorithm, issuer, audience and
 * claims' shapes cannot have changed, only the time against `nbf` and `exp`, which are checked
 * again exactly as jsonwebtoken checks them (the same tolerance, nbf first). A client sends the same
 * token with every request: jsonwebtoken's verify was 15–30 µs of each (bench R4).
 */
function verifiedBefore(token: string, keys: TokenKeys): string | undefined {
  const verified = verifiedByKeys.get(keys)?.get(token);
  if (!verified) return undefined;
  const clock = Math.floor(Date.now() / 1000);
  if (verified.nbf !== undefined && verified.nbf > clock + CLOCK_TOLERANCE_SECONDS)
    throw unauthorized("Token is not valid yet");
  if (clock >= verified.exp + CLOCK_TOLERANCE_SECONDS) throw unauthorized("Token has expired");
  return verified.sub;
}

function remember(token: string, keys: TokenKeys, verified: Verified) {
  let map = verifiedByKeys.get(keys);
  if (!map) verifiedByKeys.set(keys, (map = new Map<string, Verified>()));
  if (map.size >= VERIFIED_MAX) map.delete(map.keys().next().value!);
  map.set(token, verified);
}

/** Reads `Authorization: Bearer <JWT>` and returns the user id (`sub`), or throws a 401 (docs/api.md §2). */
export function authenticate(header: string | undefined, keys: TokenKeys): string {
  if (!header) throw noToken("Missing Authorization header");
  const bearer = /^Bearer(?: +(.*))?$/i.exec(header);
  const token = bearer?.[1]?.trimEnd();
  if (!token) throw noToken(NOT_BEARER);
  if (/\s/.test(token)) throw unauthorized(NOT_BEARER);
  if (token.length > MAX_TOKEN_LENGTH) throw unauthorized("Token is too long");
  const known = verifiedBefore(token, keys);
  if (known !== undefined) return known;

  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, keys.verifyKey, {
      algorithms: [keys.algorithm],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(keys.issuer ? { issuer: keys.issuer } : {}),
      ...(keys.audience ? { audience: keys.audience } : {}),
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw unauthorized("Token has expired");
    if (error instanceof jwt.NotBeforeError) throw unauthorized("Token is not valid yet");
    throw unauthorized("Token is invalid");
  }
  // jsonwebtoken checks `exp` only when present and never requires `sub`: both are required here.
  if (typeof claims !== "object" || claims === null) throw unauthorized("Token is invalid");
  if (typeof claims.exp !== "number") throw unauthorized("Token has no exp claim");
  if (typeof claims.sub !== "string" || claims.sub.length === 0 || claims.sub.length > SUB_MAX) {
    throw unauthorized(`Token sub must be a string of 1 to ${SUB_MAX} characters`);
  }
  remember(token, keys, { sub: claims.sub, exp: claims.exp, nbf: claims.nbf });
  return claims.sub;
}

export function signToken(keys: TokenKeys, sub: string, ttlSeconds: number): string {
  if (!keys.signKey)
    throw new Error("No signing key: with JWT_PUBLIC_KEY set, give JWT_PRIVATE_KEY to mint tokens");
  return jwt.sign({}, keys.signKey, {
    algorithm: keys.algorithm,
    subject: sub,
    expiresIn: ttlSeconds,
    ...(keys.issuer ? { issuer: keys.issuer } : {}),
    ...(keys.audience ? { audience: keys.audience } : {}),
  });
}

/** `1h`, `30m`, `7d`, `90s` or plain seconds. */
export function parseTtl(value: string): number {
  const match = /^([0-9]+)([smhd]?)$/.exec(value.trim());
  if (!match?.[1]) throw new Error(`--ttl: expected a duration like 1h, 30m, 7d or 3600, got "${value}"`);
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? ""] ?? 1;
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new Error("--ttl: must be positive");
  return seconds;
}
