import { decodeCursor, encodeCursor } from "../jobs/cursor.js";

/** Keyset cursors for the webhooks list and a webhook's deliveries: (createdAt, id), newest first. */

export type Keyset = { createdAt: number; id: string };

/** The webhooks list's cursor is bound to the user; a deliveries cursor to the user and the webhook. */
export const webhooksBinding = (userId: string) => JSON.stringify(["webhooks-v1", userId]);
export const deliveriesBinding = (userId: string, webhookId: string) =>
  JSON.stringify(["webhook-deliveries-v1", userId, webhookId]);

export function decodeKeyset(key: Buffer, binding: string, cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const { value, id } = decodeCursor(key, binding, cursor, "number");
  return { createdAt: value as number, id };
}

/** One page out of `limit + 1` rows: the extra row only says there is more. */
export function pageOf<R extends Keyset, T>(
  key: Buffer,
  binding: string,
  rows: R[],
  limit: number,
  map: (row: R) => T,
) {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    data: page.map(map),
    pagination: {
      limit,
      nextCursor: hasMore && last ? encodeCursor(key, binding, { value: last.createdAt, id: last.id }) : null,
      hasMore,
      isPartial: false,
    },
  };
}
