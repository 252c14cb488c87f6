import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { sharedSecret } from "../db/settings.js";
/**
 * Webhook signing secrets at rest. The server must sign with them, so they cannot be hashed; they
 * are sealed with AES-256-GCM under a random key kept in the `settings` table (made by the first
 * process that needs it, shared by all). That keeps them out of anything that copies the webhooks
 * table alone (an export, a log of rows, a support dump); it does not protect against someone who
 * can read the whole database, settings included. The README says so.
 */
const SETTING = "webhook-secret-key";
const VERSION = "v1";
/** `whsec_` + base64 of 32 random bytes (§13). */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
/** The process's sealing key, read (or made) once on first use. */
export function secretKeyOf(db) {
    let key;
    return () => {
        key ??= sharedSecret(db, SETTING).catch((error) => {
            key = undefined;
            throw error;
        });
        return key;
    };
}
export function sealSecret(key, secret) {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
    return [VERSION, iv, sealed, cipher.getAuthTag()]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
}
export function openSecret(key, stored) {
    const [version, iv, sealed, tag] = stored.split(".");
    if (version !== VERSION || !iv || !sealed || !tag)
        throw new Error("a webhook secret is not sealed as expected");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
}
//# sourceMappingURL=secret-box.js.map