import { createPublicKey, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";

export type TokenKeys = {
  algorithm: "HS256" | "RS256" | "ES256";
  /**
   * A KeyObject, not the text: given a string, jsonwebtoken tries createPublicKey() on it at every
   * verify and, for an HS256 secret, catches the failure and falls back to createSecretKey(). That
   * throw was a fifth of the server's CPU per request (bench R2 profile).
   */
  verifyKey: KeyObject;
  /** Absent with JWT_PUBLIC_KEY unless JWT_PRIVATE_KEY is given: the server itself never signs. */
  signKey: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** Whether the HS256 secret was generated on this machine (never in production). */
  isGeneratedSecret: boolean;
};

/**
 * Outside production a missing JWT_SECRET is generated once and kept in the data folder, so tokens
 * survive restarts and every process on this machine shares it. `wx` makes the first writer win
 * when several processes start at once.
 */
function generatedSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "jwt-secret");
  try {
    writeFileSync(path, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(path, "utf8").trim();
}

export function resolveTokenKeys(config: Config): TokenKeys {
  const { key, issuer, audience } = config.jwt;
  if (key.kind === "public-key") {
    return {
      algorithm: key.algorithm,
      verifyKey: createPublicKey(key.publicKey),
      signKey: key.privateKey,
      issuer,
      audience,
      isGeneratedSecret: false,
    };
  }
  const secret = key.secret ?? generatedSecret(config.dataDir);
  return {
    algorithm: "HS256",
    verifyKey: createSecretKey(Buffer.from(secret, "utf8")),
    signKey: secret,
    issuer,
    audience,
    isGeneratedSecret: key.secret === undefined,
  };
}
