import type { Webhook } from "@jobdeck/contract";
import { findWebhook } from "../db/queries/webhooks.js";
import type { WebhooksDeps } from "./deps.js";
import { toWebhook } from "./mapper.js";
import { webhookNotFound } from "./webhook-input.js";

/** One of the caller's webhooks; another user's and a missing one are the same 404. */
export async function getWebhook({
  db,
  userId,
  id,
}: Pick<WebhooksDeps, "db"> & { userId: string; id: string }): Promise<Webhook> {
  const row = await findWebhook(db, userId, id);
  if (!row) throw webhookNotFound();
  return toWebhook(row);
}
