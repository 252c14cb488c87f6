import { randomBytes } from "node:crypto";
import type { PrismaDb } from "./database.js";

/**
 * A random secret kept in the database, made by whichever process asks first. Every API process on
 * the same database then signs and checks cursors with the same key, with nothing to configure.
 */
export async function sharedSecret(prisma: PrismaDb, key: string): Promise<Buffer> {
  const existing = await prisma.setting.findUnique({ where: { key } });
  if (existing) return Buffer.from(existing.value, "base64url");
  try {
    await prisma.setting.create({
      data: { key, value: randomBytes(32).toString("base64url"), createdAt: new Date() },
    });
  } catch (error) {
    // Another process created it between our read and our write: theirs wins.
    if ((error as { code?: unknown }).code !== "P2002") throw error;
  }
  const stored = await prisma.setting.findUniqueOrThrow({ where: { key } });
  return Buffer.from(stored.value, "base64url");
}
