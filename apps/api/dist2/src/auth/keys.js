import { createPublicKey, createSecretKey, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
/**
 * Outside production a missing JWT_SECRET is generated once and kept in the data folder, so tokens
 * survive restarts and every process on this machine shares it. `wx` makes the first writer win
 * when several processes start at once.
 */
function generatedSecret(dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, "jwt-secret");
    try {
        writeFileSync(path, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    }
    catch (error) {
        if (error.code !== "EEXIST")
            throw error;
    }
    return readFileSync(path, "utf8").trim();
}
export function resolveTokenKeys(config) {
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
//# sourceMappingURL=keys.js.map