import { randomBytes } from "node:crypto";
const readSetting = `SELECT "value" FROM "settings" WHERE "key" = @key`;
/**
 * A random secret kept in the database, made by whichever process asks first. Every API process on
 * the same database then signs and checks cursors with the same key, with nothing to configure.
 */
export async function sharedSecret(db, key) {
    const [existing] = await db.read.all(readSetting, { key });
    if (existing)
        return Buffer.from(existing.value, "base64url");
    // Two processes may get here together: the first insert wins, and both read what it wrote.
    await db.writer.run(`INSERT INTO "settings" ("key", "value", "createdAt") VALUES (@key, @value, @now) ON CONFLICT ("key") DO NOTHING`, { key, value: randomBytes(32).toString("base64url"), now: new Date() });
    const [stored] = await db.read.all(readSetting, { key });
    if (!stored)
        throw new Error(`the setting ${key} was not stored`);
    return Buffer.from(stored.value, "base64url");
}
//# sourceMappingURL=settings.js.map