import type { Database } from "../db/index.js";

/** What the webhooks functions need, passed explicitly. */
export type WebhooksDeps = {
  db: Database;
  /** Signs and checks list cursors, as for the jobs list. */
  cursorKey: Buffer;
  /** The key webhook secrets are sealed with (secret-box.ts). */
  secretKey: () => Promise<Buffer>;
  /** HTTP_REQUEST_ALLOW_PRIVATE: when false, a literal private host in `url` is a 400. */
  allowPrivate: boolean;
};
