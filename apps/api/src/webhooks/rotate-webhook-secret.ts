import type { WebhookWithSecret } from "@jobdeck/contract";
import { replaceWebhookSecret } from "../db/queries/webhooks.js";
import type { WebhooksDeps } from "./deps.js";
import { toWebhook } from "./mapper.js";
import { newWebhookSecret, sealSecret } from "./secret-box.js";
import { webhookNotFound } from "./webhook-input.js";

/**
 * A new secret, shown once. Every attempt from now on signs with it, retries of older messages
 * included (the sender reads the secret when it sends); the old one signs nothing any more.
 */
export async function rotateWebhookSecret({
  db,
  secretKey,
  userId,
  id,
}: Pick<WebhooksDeps, "db" | "secretKey"> & { userId: string; id: string }): Promise<WebhookWithSecret> {
  const secret = newWebhookSecret();
  const row = await replaceWebhookSecret(db, {
    id,
    userId,
    secret: sealSecret(await secretKey(), secret),
    now: new Date(),
  });
  if (!row) throw webhookNotFound();
  return { ...toWebhook(row), secret };
}
