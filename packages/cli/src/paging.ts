import type { Pagination } from "@jobdeck/contract";

/** Every item of a keyset-paged list (queues, schedules, webhooks), reading page after page. */
export async function allPages<T>(
  read: (query: {
    limit: string;
    cursor?: string;
  }) => Promise<{ body: { data: T[]; pagination: Pagination } }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await read({ limit: "100", ...(cursor === undefined ? {} : { cursor }) });
    items.push(...body.data);
    cursor = body.pagination.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
